import { getToken } from "next-auth/jwt";
import { jwtExpired } from "@/lib/clock";
import { runtimeSecrets } from "@/lib/config";
import { ApiError } from "@/lib/errors";
import type { Actor } from "@/lib/shared/actor";
import type { Deps } from "@/lib/shared/context";
import { readBearerToken } from "./tokens";
import { lookupUser } from "./user-cache";

export type { Actor, Role } from "@/lib/shared/actor";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function toHeaders(source: HeaderSource): Headers {
  if (source instanceof Headers) return source;
  const h = new Headers();
  for (const [k, v] of Object.entries(source)) {
    if (typeof v === "string") h.set(k, v);
    else if (Array.isArray(v)) h.set(k, v.join(", "));
  }
  return h;
}

async function uidFromCookie(headers: Headers): Promise<string | null> {
  const secret = runtimeSecrets().authSecret;
  if (!secret || !headers.get("cookie")) return null;
  // Behind https the cookie carries the __Secure- prefix; try both names.
  for (const secureCookie of [false, true]) {
    try {
      const token = await getToken({ req: { headers: new Headers({ cookie: headers.get("cookie") ?? "" }) }, secret, secureCookie });
      if (typeof token?.uid === "string" && !jwtExpired(token.exp)) return token.uid;
    } catch {
      // a malformed cookie is simply not a session
    }
  }
  return null;
}

/** Why a request or socket has no actor: no valid session at all, or a valid one of a disabled account. */
export type Refusal = "unauthenticated" | "account_disabled";

/** What a disabled account's owner is told (by a session or the right password; never by a guess). */
export const accountDisabled = () => new ApiError("account_disabled", "This account was disabled by an administrator.");

/**
 * Resolves the acting user from an Authorization bearer token or the session
 * cookie, then checks the account still exists and is enabled, so disabling a
 * user takes effect on the next request (the row's cache never outlives a
 * change: user-cache.ts). A valid session of a disabled account
 * is refused as `account_disabled`, so its owner is told why rather than
 * "signed out"; the session already proves who they are.
 */
export async function authenticate(
  ctx: Deps<"db">,
  source: HeaderSource,
  opts: { authToken?: unknown } = {},
): Promise<{ actor: Actor } | { refused: Refusal }> {
  const headers = toHeaders(source);
  const authorization = headers.get("authorization");
  let uid: string | null = null;
  let via: Actor["via"] = "bearer";
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? (typeof opts.authToken === "string" ? opts.authToken : undefined);
  if (bearer) {
    uid = await readBearerToken(bearer);
  } else {
    uid = await uidFromCookie(headers);
    via = "cookie";
  }
  if (!uid) return { refused: "unauthenticated" };
  // Cached, and evicted on every change to the row on every instance (user-cache.ts).
  const user = await lookupUser(ctx, uid);
  if (!user) return { refused: "unauthenticated" };
  if (user.disabledAt) return { refused: "account_disabled" };
  return { actor: { uid: user.uid, name: user.name, role: user.role, via } };
}

/** The acting user, or null when there is none (for whatever reason). */
export async function resolveActor(ctx: Deps<"db">, source: HeaderSource, opts: { authToken?: unknown } = {}): Promise<Actor | null> {
  const result = await authenticate(ctx, source, opts);
  return "actor" in result ? result.actor : null;
}
