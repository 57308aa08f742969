import { and, asc, eq, gt, ilike, inArray, isNull, or, sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { users } from "../schema";
import { textArray } from "./arrays";

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

/** A page of accounts in uid order, optionally those whose uid or name contains `search`. */
export async function listUsersPage({ db, after, search, limit }: { db: Queryable; after?: string; search?: string; limit: number }) {
  const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return db
    .select()
    .from(users)
    .where(and(after ? gt(users.uid, after) : undefined, pattern ? or(ilike(users.uid, pattern), ilike(users.name, pattern)) : undefined))
    .orderBy(asc(users.uid))
    .limit(limit);
}

export async function setUserDisabledAt({ db, uid, disabled }: { db: Queryable; uid: string; disabled: boolean }) {
  const [row] = await db
    .update(users)
    .set({ disabledAt: disabled ? sql`coalesce(${users.disabledAt}, now())` : null })
    .where(eq(users.uid, uid))
    .returning();
  return row;
}

/** IM users we have not met yet get an account that cannot sign in (no password). */
export async function ensureImUsers({ db, uids }: { db: Queryable; uids: string[] }) {
  if (uids.length === 0) return;
  await db.execute(sql`insert into users (uid, name, password_hash)
                       select u, u, '!' from unnest(${textArray(uids)}) u on conflict do nothing`);
}
