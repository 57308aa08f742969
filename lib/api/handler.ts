import type { z } from "zod";
import { type Actor, accountDisabled, authenticate as authenticateActor } from "@/lib/auth/actor";
import { ApiError } from "@/lib/errors";
import { readBodyText } from "@/lib/util/read-body";
import { findUnsafeJson } from "@/lib/util/json-guard";
import { errorResponse, json, zodToApiError } from "./respond";

const DEFAULT_MAX_BODY = 64 * 1024;

type Access = "public" | "user" | "admin";
type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type Ctx = { params: Promise<Record<string, string | string[] | undefined>> };

interface Options<P, B, Q, A extends Access> {
  access: A;
  params?: P;
  body?: B;
  query?: Q;
  maxBodyBytes?: number;
}

interface Input<P, B, Q, A extends Access> {
  req: Request;
  actor: A extends "public" ? Actor | null : Actor;
  params: Out<P>;
  body: Out<B>;
  query: Out<Q>;
}

/**
 * Wraps a route handler: authentication and role, same-origin check for
 * cookie sessions, size-capped JSON parsing, zod validation, and the mapping
 * of every error to its status, once. Handlers return data (200) or a Response.
 */
export function handler<
  A extends Access,
  P extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
>(opts: Options<P, B, Q, A>, fn: (input: Input<P, B, Q, A>) => Promise<unknown>) {
  return async (req: Request, ctx: Ctx): Promise<Response> => {
    try {
      const actor = await authenticate(req, opts.access);
      const params = opts.params ? parseWith(opts.params, await ctx.params, "path") : undefined;
      const query = opts.query ? parseWith(opts.query, Object.fromEntries(new URL(req.url).searchParams), "query") : undefined;
      const body = opts.body ? parseWith(opts.body, await readJson(req, opts.maxBodyBytes ?? DEFAULT_MAX_BODY), "body") : undefined;
      const result = await fn({ req, actor, params, body, query } as Input<P, B, Q, A>);
      return result instanceof Response ? result : json(result);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

async function authenticate(req: Request, access: Access): Promise<Actor | null> {
  const result = await authenticateActor(req.headers);
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

async function readJson(req: Request, maxBytes: number): Promise<unknown> {
  const text = await readBodyText(req, maxBytes);
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
