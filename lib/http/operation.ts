import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { type Actor, accountDisabled, authenticate as authenticateActor } from "@/lib/auth/actor";
import { now } from "@/lib/clock";
import { CLOCK_HEADER } from "@/lib/contracts/enums";
import { ApiError } from "@/lib/errors";
import type { AppContext } from "@/lib/shared/context";
import { findUnsafeJson } from "@/lib/util/json-guard";
import { readBodyText } from "@/lib/util/read-body";
import { zodToApiError } from "./respond";

const DEFAULT_MAX_BODY = 64 * 1024;

export type Access = "public" | "user" | "admin";
type Schema = z.ZodType;

/** One documented answer: its status, what it means, and the body's schema (none for CSV and the like). */
export interface ResponseSpec {
  description: string;
  schema?: Schema;
  /** Media type when not JSON (the CSV export). */
  mediaType?: string;
  example?: unknown;
}

/** What an operation takes and answers: enforced by the middleware, described by the OpenAPI document. */
export interface OperationSpec<A extends Access = Access, P = unknown, Q = unknown, B = unknown> {
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  maxBodyBytes?: number;
  summary: string;
  description?: string;
  tags: [string, ...string[]];
  /** Success answers by status. Error answers are added from what the operation does (lib/http/openapi.ts). */
  responses: Record<number, ResponseSpec>;
  /** Error statuses the operation's service can answer besides the ones its inputs and access imply. */
  errors?: number[];
  requestExample?: unknown;
  /**
   * The webhook only: WuKongIM authenticates with the secret in its path and
   * the raw body is parsed big-int-safely by the service, so the middleware
   * neither authenticates nor parses; the schemas only describe the request.
   */
  raw?: true;
  /** Test mode's routes (lib/http/routes/test.ts): the test token, not a user, and 404 unless IMDESK_TEST_MODE=1. */
  testMode?: true;
}

export const OPERATION = Symbol.for("imdesk.operation");

/** Where the app's fetch puts the context of services in a request's bindings (lib/http/app.ts). */
export const CONTEXT = "imdeskContext";

type ActorFor<A extends Access> = A extends "public" ? Actor | null : Actor;
/** What a handler finds in `c.var`: the caller (set by operation()) and the context of services (set by the app, lib/http/app.ts). */
export type HttpEnv<A extends Access = Access> = { Variables: { actor: ActorFor<A>; ctx: AppContext } };

type None = Record<never, never>;
type InPart<K extends string, S, V> = S extends Schema ? { [k in K]: V } : None;
type StringsOf<S> = S extends Schema ? { [k in keyof z.output<S>]: string } : never;
type QueryOf<S> = S extends Schema ? { [k in keyof z.output<S>]?: string | number } : never;
type OutPart<K extends string, S> = S extends Schema ? { [k in K]: z.output<S> } : None;

/** The typed input Hono's `hc` client and `c.req.valid()` see: strings in, parsed values out. */
export type OperationInput<P, Q, B> = {
  in: InPart<"param", P, StringsOf<P>> & InPart<"query", Q, QueryOf<Q>> & InPart<"json", B, B extends Schema ? z.input<B> : never>;
  out: OutPart<"param", P> & OutPart<"query", Q> & OutPart<"json", B>;
};

/**
 * The middleware in front of every API handler, in the order it always ran:
 * authentication and role, same-origin check for cookie sessions, then
 * params, query and a size-capped JSON body, each guarded against what
 * PostgreSQL cannot store and validated by its zod schema. Errors propagate
 * to the app's one error handler. The spec rides on the function so the
 * OpenAPI document is built from the routes the app really serves.
 */
export function operation<
  A extends Access,
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(spec: OperationSpec<A, P, Q, B>): MiddlewareHandler<HttpEnv<A>, string, OperationInput<P, Q, B>> {
  const mw: MiddlewareHandler<HttpEnv<A>, string, OperationInput<P, Q, B>> = async (c, next) => {
    c.set("ctx", contextOf(c));
    if (spec.raw) return next();
    const req = c.req.raw;
    // The clock every rule reads, so pages compute "window passed" as the server does (test mode moves it).
    c.header(CLOCK_HEADER, String(now()));
    c.set("actor", (await authenticate(c.var.ctx, req, spec.access)) as ActorFor<A>);
    if (spec.params) c.req.addValidatedData("param", parseWith(spec.params, c.req.param(), "path") as object);
    if (spec.query)
      c.req.addValidatedData("query", parseWith(spec.query, Object.fromEntries(new URL(req.url).searchParams), "query") as object);
    if (spec.body)
      c.req.addValidatedData(
        "json",
        parseWith(spec.body, await readJson(req, spec.maxBodyBytes ?? DEFAULT_MAX_BODY, nodeRequestOf(c)), "body") as object,
      );
    await next();
  };
  return Object.assign(mw, { [OPERATION]: spec });
}

/** The Node request behind the Fetch one when the custom server serves the app (@hono/node-server's bindings), else undefined. */
export function nodeRequestOf(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

function contextOf(c: Context): AppContext {
  const ctx = (c.env as { [CONTEXT]?: AppContext } | undefined)?.[CONTEXT];
  if (!ctx) throw new Error("the API app was served without its context (serve it through createApiApp's fetch)");
  return ctx;
}

export function operationOf(fn: unknown): OperationSpec | undefined {
  return (fn as { [OPERATION]?: OperationSpec } | undefined)?.[OPERATION];
}

/** The acting user of a route whose access is "user" or "admin" (the middleware refused everyone else). */
export function actorOf(c: { var: { actor: Actor | null } }): Actor {
  const actor = c.var.actor;
  if (!actor) throw new ApiError("unauthenticated", "Sign in or send a bearer token.");
  return actor;
}

async function authenticate(ctx: AppContext, req: Request, access: Access): Promise<Actor | null> {
  const result = await authenticateActor(ctx, req.headers);
  if ("refused" in result) {
    if (access === "public") return null;
    throw result.refused === "account_disabled" ? accountDisabled() : new ApiError("unauthenticated", "Sign in or send a bearer token.");
  }
  const { actor } = result;
  if (access === "public") return actor;
  if (actor.via === "cookie" && !["GET", "HEAD"].includes(req.method)) assertSameOrigin(req);
  if (access === "admin" && actor.role !== "admin") throw new ApiError("forbidden", "Administrators only.");
  return actor;
}

/** A cookie travels with cross-site requests; only our own pages may change state with it. */
function assertSameOrigin(req: Request) {
  const origin = req.headers.get("origin");
  if (!origin) return;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new ApiError("cross_origin", "Cross-origin request refused.");
  }
  if (originHost !== host) throw new ApiError("cross_origin", "Cross-origin request refused.");
}

async function readJson(req: Request, maxBytes: number, node: IncomingMessage | undefined): Promise<unknown> {
  const text = await readBodyText(req, maxBytes, node);
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "The body is not valid JSON.");
  }
  const unsafe = findUnsafeJson(value);
  if (unsafe) throw new ApiError("invalid_request", `body: ${unsafe}`);
  return value;
}

function parseWith<S extends Schema>(schema: S, value: unknown, where: string): z.output<S> {
  const unsafe = findUnsafeJson(value);
  if (unsafe) throw new ApiError("invalid_request", `${where}: ${unsafe}`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw zodToApiError(parsed.error, where);
  return parsed.data;
}
