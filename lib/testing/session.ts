import { encode } from "next-auth/jwt";
import { issueBearerToken, SESSION_MAX_AGE } from "@/lib/auth/tokens";
import { jwtMaxAge, now } from "@/lib/clock";
import { runtimeSecrets } from "@/lib/config";
import { getUserByUid } from "@/lib/db/queries/users";
import { ApiError } from "@/lib/errors";
import type { Deps } from "@/lib/shared/context";

/**
 * POST /api/test/session: a bearer token and a Playwright storageState for
 * any user, with no sign-in and no rate limit. The cookie is what Auth.js
 * itself writes after a sign-in — its encode, its cookie name and salt,
 * the claims our jwt callback adds — so the real middleware accepts it.
 */
export async function testSession(ctx: Deps<"db">, { uid, origin }: { uid: string; origin: URL }) {
  const user = await getUserByUid({ db: ctx.db(), uid });
  if (!user) throw new ApiError("user_not_found", `No user ${uid}.`);
  if (user.disabledAt) throw new ApiError("account_disabled", "This account was disabled by an administrator.");
  const secret = runtimeSecrets().authSecret;
  if (!secret) throw new Error("AUTH_SECRET is not set");
  const secure = origin.protocol === "https:";
  // Auth.js's session cookie names (and it salts the JWT with the name).
  const name = `${secure ? "__Secure-" : ""}authjs.session-token`;
  const value = await encode({
    token: { name: user.name, sub: user.uid, uid: user.uid, role: user.role },
    secret,
    salt: name,
    maxAge: jwtMaxAge(SESSION_MAX_AGE),
  });
  return {
    token: await issueBearerToken(user),
    user: { uid: user.uid, name: user.name, role: user.role },
    storage_state: {
      cookies: [
        {
          name,
          value,
          domain: origin.hostname,
          path: "/",
          expires: Math.floor(now() / 1000) + SESSION_MAX_AGE,
          httpOnly: true,
          secure,
          sameSite: "Lax" as const,
        },
      ],
      origins: [],
    },
  };
}
