import { Hono } from "hono";
import { ApiError } from "@/lib/errors";
import { type AppContext, installedContext } from "@/lib/shared/context";
import { CONTEXT, type HttpEnv, operationOf } from "./operation";
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
 * The whole HTTP API, one router per feature under /api, over the context of
 * services it is given: every request carries it in (see `fetch` below),
 * operation() puts it in `c.var.ctx`, and the route handlers pass it (or the
 * part they use) to the services. The custom server serves the app boot built
 * with its context directly (lib/http/node.ts); Next serves `app` below.
 * `strict: false`: a trailing slash is the same route, as it always was.
 */
export function createApiApp(context: AppContext | (() => AppContext)) {
  const ctxOf = typeof context === "function" ? context : () => context;
  const api = new Hono<HttpEnv>({ strict: false })
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

  api.onError((err) => errorResponse(err));

  // An API path nobody serves gets the API's error shape; a path served for other methods gets 405 and Allow.
  const methodsFor = allowedMethods(api.routes);
  api.notFound((c) => {
    const allowed = methodsFor(new URL(c.req.url).pathname);
    if (allowed.length === 0) return errorResponse(new ApiError("not_found", "No such API route."));
    const res = errorResponse(new ApiError("method_not_allowed", `${c.req.method} is not supported here.`));
    res.headers.set("allow", allowed.join(", "));
    return res;
  });

  // Every request the app serves, through whichever adapter (Hono's Node one,
  // Next's `handle`, `app.request`), enters by `fetch`: the context rides in
  // with the request's bindings, where operation() finds it. Not an app-wide
  // middleware: that would be a route served without operation(), which the
  // OpenAPI test rightly refuses.
  const serve = api.fetch;
  api.fetch = (req, env, executionCtx) => serve(req, { ...(env as object | undefined), [CONTEXT]: ctxOf() }, executionCtx);
  return api;
}

/**
 * The app as Next serves it (app/api/[[...route]]/route.ts): Next calls those
 * route modules itself, so nobody can hand them the context; each request
 * reads the one boot installed through the one accessor, installedContext().
 */
export const app = createApiApp(installedContext);

export type AppType = typeof app;

function allowedMethods(routes: { method: string; path: string; handler: unknown }[]) {
  let routeMatchers: { method: string; pattern: RegExp }[] | undefined;
  return (pathname: string): string[] => {
    routeMatchers ??= routes
      .filter((r) => operationOf(r.handler))
      .filter((r) => !isHiddenTestRoute(r.path))
      .map((r) => ({
        method: r.method,
        pattern: new RegExp(`^${r.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:\w+/g, "[^/]+")}/?$`),
      }));
    return [...new Set(routeMatchers.filter((m) => m.pattern.test(pathname)).map((m) => m.method))];
  };
}
