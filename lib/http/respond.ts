import { ZodError } from "zod";
import { isDatabaseUnavailable } from "@/lib/db/client";
import { ApiError } from "@/lib/errors";

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(data, { status, headers });
}

/** The one place errors become HTTP answers; unknown errors are logged and leak nothing. */
export function errorResponse(err: unknown): Response {
  if (err instanceof ApiError) {
    const retry = err.details?.retry_after;
    return json(err.toJSON(), err.status, typeof retry === "number" ? { "retry-after": String(retry) } : undefined);
  }
  if (err instanceof ZodError) return json(zodToApiError(err).toJSON(), 400);
  if (isDatabaseUnavailable(err)) {
    return json(new ApiError("unavailable", "The database is busy or unreachable; try again in a moment.").toJSON(), 503, {
      "retry-after": "1",
    });
  }
  console.error("[imdesk] unhandled error", err);
  return json(new ApiError("internal_error", "Something went wrong on our side.").toJSON(), 500);
}

export function zodToApiError(err: ZodError, where = "body"): ApiError {
  const first = err.issues[0];
  const field = first?.path.length ? first.path.join(".") : where;
  return new ApiError("invalid_request", `${field}: ${first?.message ?? "invalid"}`, {
    issues: err.issues.slice(0, 10).map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}
