import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { ApiError, type ErrorCode } from "@/lib/errors";
import type { AppContext } from "@/lib/shared/context";
import { createApiApp } from "./app";
import { errorResponse } from "./respond";

// Auth.js's own endpoints stay with Next (they rely on its request context).
const LEFT_TO_NEXT = /^\/api\/auth\/(?!token\/?$)/;

/** Whether the custom server answers this request with the Hono app (true) or hands it to Next. */
export function isApiRequest(url: string | undefined): boolean {
  if (!url?.startsWith("/api/")) return false;
  return !LEFT_TO_NEXT.test(url.split("?")[0]);
}

// Headers the server itself sets on the request (lib/security/headers.ts); a client-sent copy must never be seen.
const SERVER_SET = /^x-imdesk-/i;

/**
 * The API on the custom server: Hono's Node adapter straight onto the
 * request, no Next routing in front (on a 2-core machine that routing cost
 * more CPU than the handlers). The adapter reads headers from rawHeaders, so
 * the values the server set on req.headers replace the client's there too.
 */
export function createApiListener(ctx: AppContext) {
  const app = createApiApp(ctx);
  const listener = getRequestListener(async (req, env) => writeJson(await app.fetch(req, env), env.outgoing as ServerResponse), {
    // Next runs in this process and expects the platform's own Request/Response.
    overrideGlobalObjects: false,
    errorHandler: (err) =>
      errorResponse(err instanceof Error && err.name === "RequestError" ? new ApiError("invalid_request", err.message) : err),
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    const raw: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (!SERVER_SET.test(req.rawHeaders[i])) raw.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
    }
    for (const [k, v] of Object.entries(req.headers)) if (SERVER_SET.test(k) && typeof v === "string") raw.push(k, v);
    req.rawHeaders = raw;
    return listener(req, res);
  };
}

/**
 * A JSON answer written straight onto the Node response: the adapter would
 * read the Fetch Response's body through a web stream reader (and a timer when
 * the second read is not immediate); one arrayBuffer() is a fraction of that
 * (#22's profile). Anything else (CSV, the docs page) goes the adapter's way.
 */
async function writeJson(res: Response, outgoing: ServerResponse): Promise<Response> {
  if (!res.body || !res.headers.get("content-type")?.startsWith("application/json")) return res;
  const body = Buffer.from(await res.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of res.headers) if (k !== "set-cookie") headers[k] = v;
  const cookies = res.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  headers["content-length"] = String(body.byteLength);
  outgoing.writeHead(res.status, headers).end(body);
  return RESPONSE_ALREADY_SENT;
}

/**
 * Answers in the API's error shape. A body the client is still sending is
 * discarded as it arrives (never buffered): closing at once would reset the
 * connection and lose the answer; the server's requestTimeout bounds it.
 */
export function writeJsonError(res: ServerResponse, code: ErrorCode, message: string) {
  if (res.headersSent) return void res.end();
  const error = new ApiError(code, message);
  res.writeHead(error.status, { "content-type": "application/json" });
  res.end(JSON.stringify(error.toJSON()));
  if (!res.req.complete) res.req.resume();
}

/** A Host header that cannot be a URL's host (`[bad`, `a b`, `x/y`). */
function isMalformedHost(host: string | undefined) {
  if (host === undefined) return false;
  if (/[\s/?#@\\]/.test(host)) return true;
  try {
    new URL(`http://${host}/`);
    return false;
  } catch {
    return true;
  }
}

// Pages (Auth.js sign-in forms included) take small bodies with a declared length.
const MAX_PAGE_BODY = 1024 * 1024;

/**
 * What the server refuses before routing: a malformed Host (400), and for
 * requests Next serves, bodies it would buffer whole — over 1 MB (413) or
 * chunked without a length (411). API routes cap their own bodies, streaming.
 */
export function refuseBeforeRouting(req: IncomingMessage, res: ServerResponse, apiHere: boolean): boolean {
  if (isMalformedHost(req.headers.host)) {
    writeJsonError(res, "invalid_request", "Malformed Host header.");
    return true;
  }
  if (apiHere) return false;
  const length = req.headers["content-length"];
  if (length !== undefined && Number(length) > MAX_PAGE_BODY) {
    writeJsonError(res, "payload_too_large", `Body over ${MAX_PAGE_BODY} bytes.`);
    return true;
  }
  if (length === undefined && req.headers["transfer-encoding"] !== undefined) {
    writeJsonError(res, "length_required", "Send a Content-Length with this request.");
    return true;
  }
  return false;
}
