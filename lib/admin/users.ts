import { z } from "zod";
import { hashPassword } from "@/lib/auth/password";
import { usersChanged } from "@/lib/auth/user-cache";
import type { UserItem } from "@/lib/contracts/admin";
import { SYSTEM_ROLES } from "@/lib/contracts/enums";
import { uidSchema } from "@/lib/contracts/ids";
import { insertUser, listUsersPage, setUserDisabledAt } from "@/lib/db/queries/users";
import type { users } from "@/lib/db/schema";
import { ApiError } from "@/lib/errors";
import { endSessions, notifyAdmins } from "@/lib/realtime/io";
import type { Deps } from "@/lib/shared/context";
import { cursorPart, decodeCursor, keysetPage } from "./cursor";

export const createUserSchema = z.object({
  uid: uidSchema,
  name: z.string().trim().min(1).max(100),
  password: z.string().min(8, "at least 8 characters").max(256),
  role: z.enum(SYSTEM_ROLES).default("user"),
});

export const updateUserSchema = z.object({ disabled: z.boolean() });

export const usersQuerySchema = z.object({
  q: z.string().trim().max(64).optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const toItem = (u: typeof users.$inferSelect): UserItem => ({
  uid: u.uid,
  name: u.name,
  role: u.role,
  disabled: u.disabledAt !== null,
  disabled_at: u.disabledAt?.toISOString() ?? null,
  created_at: u.createdAt.toISOString(),
  can_sign_in: u.passwordHash.startsWith("scrypt$"),
});

export async function listUsers(ctx: Deps<"db">, q: z.infer<typeof usersQuerySchema>) {
  const after = decodeCursor(q.cursor, [cursorPart.text]);
  const rows = await listUsersPage({ db: ctx.db(), after: after?.[0], search: q.q || undefined, limit: q.limit + 1 });
  const { page, next_cursor } = keysetPage(rows, q.limit, (last) => [last.uid]);
  return { items: page.map(toItem), next_cursor };
}

export async function createUser(ctx: Deps<"db">, input: z.infer<typeof createUserSchema>) {
  const created = await insertUser({
    db: ctx.db(),
    user: { uid: input.uid, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) },
  });
  if (!created) throw new ApiError("user_exists", `A user ${input.uid} exists already.`);
  notifyAdmins("users");
  return toItem(created);
}

/** Disabling takes effect at once: every request re-checks the account, and open sockets are closed now. */
export async function setUserDisabled(ctx: Deps<"db" | "io">, uid: string, disabled: boolean, actorUid: string) {
  if (uid === actorUid && disabled) throw new ApiError("not_allowed", "You cannot disable your own account.");
  const row = await setUserDisabledAt({ db: ctx.db(), uid, disabled });
  if (!row) throw new ApiError("user_not_found", `No user ${uid}.`);
  // The open sockets close first, on every instance (endSessions goes through the adapter): they must
  // not outlive the disable when an instance is slow to confirm the eviction below (503, change saved).
  if (disabled) endSessions(uid, "account_disabled");
  notifyAdmins("users");
  // Every instance's cached copy of the row is gone before the answer: the next request anywhere is judged on this one.
  await usersChanged(ctx, [uid]);
  return toItem(row);
}
