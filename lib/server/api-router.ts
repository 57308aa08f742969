import { readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";

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
        res.writeHead(405, { "content-type": "application/json", allow: Object.keys(mod).filter((k) => /^[A-Z]+$/.test(k)).join(", ") });
        res.end(JSON.stringify({ error: { code: "method_not_allowed", message: `${req.method} is not supported here.` } }));
        return true;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1]);
      });
      const response = await fn(toRequest(req), { params: Promise.resolve(params) });
      await writeResponse(res, response, req.method === "HEAD");
      return true;
    }
    // An API path nobody serves gets the API's error shape, not Next's HTML page.
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "not_found", message: "No such API route." } }));
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

function toRequest(req: IncomingMessage): Request {
  const host = req.headers.host ?? "localhost";
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === "string") headers.set(k, v);
    else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(`http://${host}${req.url}`, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    // @ts-expect-error Node's fetch needs duplex for a streamed body; the DOM types do not know it
    duplex: hasBody ? "half" : undefined,
  });
}

async function writeResponse(res: ServerResponse, response: Response, headOnly: boolean) {
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
