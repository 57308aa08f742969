import { hashPassword } from "@/lib/auth/password";
import type { Queryable } from "./client";
import { insertChannel, upsertMembers } from "./queries/channels";
import { countUsers, insertUser } from "./queries/users";

const DEMO_USERS = [
  { uid: "alice", name: "Alice", role: "user" },
  { uid: "bob", name: "Bob", role: "user" },
  { uid: "carol", name: "Carol", role: "user" },
  { uid: "dave", name: "Dave", role: "user" },
  { uid: "admin", name: "Admin", role: "admin" },
] as const;

/**
 * Seeds the demo (docs/api.md § Demo data) into an empty database; a database
 * with users is left alone. Test mode's reset passes one precomputed hash
 * for every user (scrypt is slow on purpose) and runs it inside its own transaction.
 */
export async function seedDemo(db: Queryable, password: string, opts: { passwordHash?: string } = {}): Promise<boolean> {
  if ((await countUsers({ db })) > 0) return false;
  const hashes = await Promise.all(DEMO_USERS.map(() => opts.passwordHash ?? hashPassword(password)));
  await db.transaction(async (tx) => {
    for (const [i, u] of DEMO_USERS.entries()) await insertUser({ db: tx, user: { ...u, passwordHash: hashes[i] } });
    await insertChannel({ db: tx, channel: { channelId: "general", channelType: 2, name: "General", createdBy: "admin" } });
    await upsertMembers({
      db: tx,
      channelId: "general",
      atSeq: 0,
      members: DEMO_USERS.map((u) => ({ uid: u.uid, role: u.uid === "admin" ? ("owner" as const) : ("member" as const) })),
    });
  });
  return true;
}
