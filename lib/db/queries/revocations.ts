import { and, asc, eq, gt } from "drizzle-orm";
import type { Queryable } from "../client";
import { revocations } from "../schema";

export async function getRevocation({ db, channelId, seq }: { db: Queryable; channelId: string; seq: number }) {
  const [row] = await db
    .select()
    .from(revocations)
    .where(and(eq(revocations.channelId, channelId), eq(revocations.messageSeq, seq)))
    .limit(1);
  return row;
}

export async function insertRevocation({ db, record }: { db: Queryable; record: typeof revocations.$inferInsert }) {
  const [row] = await db.insert(revocations).values(record).onConflictDoNothing().returning();
  return row;
}

/** The channel's change feed after a version, in version order. */
export async function listRevocationsSince({
  db,
  channelId,
  since,
  limit,
}: {
  db: Queryable;
  channelId: string;
  since: number;
  limit: number;
}) {
  return db
    .select()
    .from(revocations)
    .where(and(eq(revocations.channelId, channelId), gt(revocations.version, since)))
    .orderBy(asc(revocations.version))
    .limit(limit + 1);
}
