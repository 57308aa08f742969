import { decode, encode } from "next-auth/jwt";

// Bearer tokens are Auth.js JWTs under their own salt, so a session cookie
// cannot be replayed as a bearer token nor the other way round.
const BEARER_SALT = "imdesk.bearer-token";
export const BEARER_TOKEN_MAX_AGE = 30 * 24 * 60 * 60;

function secret(): string {
  const s = process.env.AUTH_SECRET;
  if (!s) throw new Error("AUTH_SECRET is not set");
  return s;
}

export function issueBearerToken(user: { uid: string; role: string }): Promise<string> {
  return encode({
    token: { sub: user.uid, uid: user.uid, role: user.role },
    secret: secret(),
    salt: BEARER_SALT,
    maxAge: BEARER_TOKEN_MAX_AGE,
  });
}

export async function readBearerToken(token: string): Promise<string | null> {
  try {
    const payload = await decode({ token, secret: secret(), salt: BEARER_SALT });
    return typeof payload?.uid === "string" ? payload.uid : null;
  } catch {
    return null;
  }
}
