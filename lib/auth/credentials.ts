import { z } from "zod";
import { db } from "@/lib/db/client";
import { getUserByUid } from "@/lib/db/queries/users";
import { ApiError } from "@/lib/errors";
import { rateLimit } from "@/lib/security/rate-limit";
import { verifyPassword } from "./password";

export const credentialsSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

/**
 * Checks a username and password; the same answer for an unknown user and a
 * wrong password. Attempts are rate-limited per account and per address.
 */
export async function checkCredentials(input: unknown, address = "unknown") {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) throw new ApiError("invalid_credentials", "Wrong username or password.");
  rateLimit("signInPerAddress", address);
  rateLimit("signInPerAccount", parsed.data.username.toLowerCase());
  const user = await getUserByUid({ db: db(), uid: parsed.data.username });
  const ok = user && !user.disabledAt && (await verifyPassword(parsed.data.password, user.passwordHash));
  if (!user || !ok) throw new ApiError("invalid_credentials", "Wrong username or password.");
  return { uid: user.uid, name: user.name, role: user.role };
}
