import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { revocations } from "../schema";
import { textArray } from "./arrays";

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

/** Which of these message ids were recalled. */
export async function listRevokedAmong({ db, messageIds }: { db: Queryable; messageIds: string[] }) {
  if (messageIds.length === 0) return new Set<string>();
  const rows = await db.execute<{ messageId: string }>(
    sql`select message_id from revocations where message_id = any(${textArray(messageIds)})`,
  );
  return new Set(rows.map((r) => r.messageId));
}

export async function isRevokedMessage({ db, messageId }: { db: Queryable; messageId: string }) {
  const rows = await db.execute(sql`select 1 from revocations where message_id = ${messageId} limit 1`);
  return rows.length > 0;
}
