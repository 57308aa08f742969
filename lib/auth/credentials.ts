import { z } from "zod";
import { getUserByUid } from "@/lib/db/queries/users";
import { ApiError } from "@/lib/errors";
import { takeToken } from "@/lib/security/rate-limit";
import type { Deps } from "@/lib/shared/context";
import { accountDisabled } from "./actor";
import { verifyPassword } from "./password";

// A well-formed hash of no password anyone knows (random key), checked when the user has none.
const DUMMY_HASH = `scrypt$32768$8$1$${"A".repeat(22)}==$${"B".repeat(43)}=`;

export const credentialsSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

/**
 * Checks a username and password; the same answer for an unknown user and a
 * wrong password. Attempts are rate-limited per account and per address. Only
 * the right password learns that the account is disabled: its owner is told
 * why, while a guesser cannot tell a disabled account from a wrong password.
 */
export async function checkCredentials(ctx: Deps<"db" | "limiter">, input: unknown, address = "unknown") {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) throw new ApiError("invalid_credentials", "Wrong username or password.");
  takeToken(ctx.limiter, "signInPerAddress", address);
  takeToken(ctx.limiter, "signInPerAccount", parsed.data.username.toLowerCase());
  const user = await getUserByUid({ db: ctx.db(), uid: parsed.data.username });
  // Always one full scrypt: an unknown or password-less user costs what a wrong password costs,
  // so the answer's timing does not tell which usernames exist.
  const canSignIn = user?.passwordHash.startsWith("scrypt$") ?? false;
  const matches = await verifyPassword(parsed.data.password, canSignIn && user ? user.passwordHash : DUMMY_HASH);
  if (!user || !canSignIn || !matches) throw new ApiError("invalid_credentials", "Wrong username or password.");
  if (user.disabledAt) throw accountDisabled();
  return { uid: user.uid, name: user.name, role: user.role };
}
