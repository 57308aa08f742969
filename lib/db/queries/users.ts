import { eq, inArray, isNull } from "drizzle-orm";
import type { Queryable } from "../client";
import { users } from "../schema";

export async function getUserByUid({ db, uid }: { db: Queryable; uid: string }) {
  const [row] = await db.select().from(users).where(eq(users.uid, uid)).limit(1);
  return row;
}

export async function getUsersByUids({ db, uids }: { db: Queryable; uids: string[] }) {
  if (uids.length === 0) return [];
  return db.select({ uid: users.uid, name: users.name, disabledAt: users.disabledAt }).from(users).where(inArray(users.uid, uids));
}

export async function insertUser({
  db,
  user,
}: {
  db: Queryable;
  user: { uid: string; name: string; passwordHash: string; role: "user" | "admin" };
}) {
  const [row] = await db.insert(users).values(user).onConflictDoNothing().returning();
  return row;
}

export async function countUsers({ db }: { db: Queryable }) {
  return db.$count(users);
}

export async function listActiveUsers({ db }: { db: Queryable }) {
  return db.select({ uid: users.uid, name: users.name }).from(users).where(isNull(users.disabledAt)).orderBy(users.name).limit(1000);
}
