import { Hono } from "hono";
import { ApiError } from "@/lib/errors";
import { type HttpEnv, operationOf } from "./operation";
import { errorResponse } from "./respond";
import { adminRoutes } from "./routes/admin";
import { authRoutes } from "./routes/auth";
import { channelRoutes } from "./routes/channels";
import { healthRoutes } from "./routes/health";
import { messageRoutes } from "./routes/messages";
import { openapiRoutes } from "./routes/openapi";
import { receiptRoutes } from "./routes/receipts";
import { revokeRoutes } from "./routes/revoke";
import { isHiddenTestRoute, testRoutes } from "./routes/test";
import { userRoutes } from "./routes/users";
import { webhookRoutes } from "./routes/webhooks";

/**
 * The whole HTTP API, one router per feature under /api. The custom server
 * serves this object directly (lib/http/node.ts) and Next serves the same one
 * through app/api/[[...route]]/route.ts. `strict: false`: a trailing slash is
 * the same route, as it always was.
 */
export const app = new Hono<HttpEnv>({ strict: false })
  .basePath("/api")
  .route("/", authRoutes)
  .route("/", healthRoutes)
  .route("/", userRoutes)
  .route("/", channelRoutes)
  .route("/", messageRoutes)
  .route("/", receiptRoutes)
  .route("/", revokeRoutes)
  .route("/", webhookRoutes)
  .route("/", adminRoutes)
  .route("/", testRoutes)
  .route("/", openapiRoutes);

export type AppType = typeof app;

app.onError((err) => errorResponse(err));

// An API path nobody serves gets the API's error shape; a path served for other methods gets 405 and Allow.
app.notFound((c) => {
  const allowed = methodsFor(new URL(c.req.url).pathname);
  if (allowed.length === 0) return errorResponse(new ApiError("not_found", "No such API route."));
  const res = errorResponse(new ApiError("method_not_allowed", `${c.req.method} is not supported here.`));
  res.headers.set("allow", allowed.join(", "));
  return res;
});

let routeMatchers: { method: string; pattern: RegExp }[] | undefined;

function methodsFor(pathname: string): string[] {
  routeMatchers ??= app.routes
    .filter((r) => operationOf(r.handler))
    .filter((r) => !isHiddenTestRoute(r.path))
    .map((r) => ({
      method: r.method,
      pattern: new RegExp(`^${r.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:\w+/g, "[^/]+")}/?$`),
    }));
  return [...new Set(routeMatchers.filter((m) => m.pattern.test(pathname)).map((m) => m.method))];
}
