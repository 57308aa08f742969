import { decode, encode } from "next-auth/jwt";
import { jwtExpired, jwtMaxAge, now } from "@/lib/clock";
import { runtimeSecrets } from "@/lib/config";

// Bearer tokens are Auth.js JWTs under their own salt, so a session cookie
// cannot be replayed as a bearer token nor the other way round.
const BEARER_SALT = "imdesk.bearer-token";
const BEARER_TOKEN_MAX_AGE = 30 * 24 * 60 * 60;
/** A browser session's lifetime (Auth.js's default, set explicitly so test mode's session cookies match). */
export const SESSION_MAX_AGE = 30 * 24 * 60 * 60;

function secret(): string {
  const s = runtimeSecrets().authSecret;
  if (!s) throw new Error("AUTH_SECRET is not set");
  return s;
}

export function issueBearerToken(user: { uid: string; role: string }): Promise<string> {
  return encode({
    token: { sub: user.uid, uid: user.uid, role: user.role },
    secret: secret(),
    salt: BEARER_SALT,
    maxAge: jwtMaxAge(BEARER_TOKEN_MAX_AGE),
  });
}

// Decrypting a token (key derivation + AES) is the costliest step of a small
// request; a token's meaning never changes, so decoded ones are remembered
// until they expire. Whether the user is still enabled is checked every time.
const decoded = new Map<string, { uid: string; exp: number }>();
const MAX_CACHED = 10_000;

export async function readBearerToken(token: string): Promise<string | null> {
  const hit = decoded.get(token);
  if (hit) {
    if (!jwtExpired(hit.exp)) return hit.uid;
    decoded.delete(token);
  }
  try {
    const payload = await decode({ token, secret: secret(), salt: BEARER_SALT });
    // Expiry by the clock every rule reads (jose checks only the machine's time).
    if (typeof payload?.uid !== "string" || jwtExpired(payload.exp)) return null;
    if (decoded.size >= MAX_CACHED) decoded.delete(decoded.keys().next().value as string);
    decoded.set(token, { uid: payload.uid, exp: typeof payload.exp === "number" ? payload.exp : now() / 1000 + 60 });
    return payload.uid;
  } catch {
    return null;
  }
}
