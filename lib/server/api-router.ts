import { readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { ApiError, type ErrorCode } from "@/lib/errors";

type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface Route {
  pattern: RegExp;
  names: string[];
  load: () => Promise<Record<string, RouteHandler | undefined>>;
}

// Auth.js's own endpoints stay with Next (they rely on its request context).
const LEFT_TO_NEXT = /^\/api\/auth\/(?!token$)/;

function findRouteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? findRouteFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : [],
  );
}

/**
 * Serves the app/api route handlers straight from the custom server, the same
 * modules Next would run, without Next's page routing in front of them: on a
 * 2-core machine that routing cost more CPU than the handlers themselves.
 * Segments follow Next's conventions ([param]); anything unmatched, and every
 * page, goes to Next.
 */
export function createApiRouter(root = process.cwd()) {
  const apiDir = path.join(root, "app", "api");
  const routes: Route[] = findRouteFiles(apiDir)
    .map((file) => {
      const segments = path.relative(apiDir, path.dirname(file)).split(path.sep).filter(Boolean);
      const names: string[] = [];
      const source = segments
        .map((s) => {
          const m = s.match(/^\[([^\].]+)\]$/);
          if (!m) return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          names.push(m[1]);
          return "([^/]+)";
        })
        .join("/");
      let cached: Promise<Record<string, RouteHandler | undefined>> | undefined;
      return { pattern: new RegExp(`^/api/${source}/?$`), names, load: () => (cached ??= import(pathToFileURL(file).href)) };
    })
    .filter((r) => !r.pattern.source.includes("\\[")) // catch-all segments stay with Next
    // Static segments win over dynamic ones, as in Next.
    .sort((a, b) => a.names.length - b.names.length);

  return async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = req.url ?? "/";
    if (!url.startsWith("/api/")) return false;
    const pathname = url.split("?")[0];
    if (LEFT_TO_NEXT.test(pathname)) return false;
    for (const route of routes) {
      const m = pathname.match(route.pattern);
      if (!m) continue;
      const mod = await route.load();
      const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
      const fn = mod[method];
      if (!fn) {
        res.setHeader("allow", Object.keys(mod).filter((k) => /^[A-Z]+$/.test(k)).join(", "));
        writeJsonError(res, "method_not_allowed", `${req.method} is not supported here.`);
        return true;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1]);
      });
      const response = await fn(toRequest(req), { params: Promise.resolve(params) });
      await writeResponse(res, response, req);
      return true;
    }
    // An API path nobody serves gets the API's error shape, not Next's HTML page.
    writeJsonError(res, "not_found", "No such API route.");
    return true;
  };
}

function safeDecode(s: string) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
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
 * paths served by Next, bodies it would buffer whole — over 1 MB (413) or
 * chunked without a length (411). Returns true when it answered.
 */
export function refuseBeforeRouting(req: IncomingMessage, res: ServerResponse): boolean {
  if (isMalformedHost(req.headers.host)) {
    writeJsonError(res, "invalid_request", "Malformed Host header.");
    return true;
  }
  if (req.url?.startsWith("/api/") && !LEFT_TO_NEXT.test(req.url.split("?")[0])) return false;
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

/** The Fetch API request for a Node request (its Host was checked by refuseBeforeRouting). */
function toRequest(req: IncomingMessage): Request {
  const url = new URL(`http://${req.headers.host ?? "localhost"}${req.url}`);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === "string") headers.set(k, v);
    else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    // @ts-expect-error Node's fetch needs duplex for a streamed body; the DOM types do not know it
    duplex: hasBody ? "half" : undefined,
  });
}

async function writeResponse(res: ServerResponse, response: Response, req: IncomingMessage) {
  const headOnly = req.method === "HEAD";
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === "set-cookie") return;
    headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (headOnly || !response.body) return void res.end();
  const body = Buffer.from(await response.arrayBuffer());
  res.end(body);
}
