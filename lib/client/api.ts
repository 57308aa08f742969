import { type ClientResponse, hc } from "hono/client";
import type { AppType } from "@/lib/http/app";
import { fetchFollowingServerClock } from "./server-clock";

/** An API error as the client sees it: the server's status and `code` (lib/errors.ts), or network_error. */
export class ClientApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A typed client for the imdesk API, generated from the Hono app's type:
 * paths, params, query, bodies and answers are checked by the compiler.
 * In the browser (no baseUrl) it rides the session cookie; scripts pass a
 * bearer token from POST /api/auth/token.
 */
export function createClient(baseUrl = "/", opts: { token?: string; fetch?: typeof fetch } = {}) {
  return hc<AppType>(baseUrl, {
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : undefined,
    fetch: opts.fetch,
    init: { credentials: "same-origin" },
  }).api;
}

export type ApiClient = ReturnType<typeof createClient>;

type Success = 200 | 201 | 202;
/** The JSON of a call's success answers. */
export type Answer<R> = R extends ClientResponse<infer T, infer S, "json"> ? (S extends Success ? T : never) : never;

/** Awaits a typed call and returns its JSON, or throws ClientApiError with the server's code. */
export async function call<R extends ClientResponse<unknown>>(request: Promise<R>): Promise<Answer<R>> {
  let res: R;
  try {
    res = await request;
  } catch (err) {
    if ((err as Error)?.name === "AbortError") throw err;
    throw new ClientApiError(0, "network_error", "Cannot reach the server.");
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ClientApiError(res.status, err?.code ?? "http_error", err?.message ?? `Request failed (${res.status}).`);
  }
  return data as Answer<R>;
}

/** The pages' client: same origin, the session cookie, and the server's clock followed from every answer. */
export const api = createClient("/", { fetch: fetchFollowingServerClock });
