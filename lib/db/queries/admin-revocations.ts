import { sql } from "drizzle-orm";
import type { RevokeRule } from "../../contracts/enums";
import type { Queryable } from "../client";
import { exactTimestamp } from "./fragments";

export interface RevocationFilter {
  channelId?: string;
  senderUid?: string;
  revokedBy?: string;
  rule?: RevokeRule;
  from?: Date;
  to?: Date;
}

export type RevocationRow = {
  messageId: string;
  channelId: string;
  messageSeq: number;
  senderUid: string;
  revokedBy: string;
  rule: RevokeRule;
  reason: string | null;
  sentAt: Date;
  revokedAt: Date;
  /** revoked_at to the microsecond, for the cursor. */
  revokedKey: string;
};

function where(f: RevocationFilter, after?: [string, string, number]) {
  const parts = [sql`true`];
  if (f.channelId) parts.push(sql`channel_id = ${f.channelId}`);
  if (f.senderUid) parts.push(sql`sender_uid = ${f.senderUid}`);
  if (f.revokedBy) parts.push(sql`revoked_by = ${f.revokedBy}`);
  if (f.rule) parts.push(sql`rule = ${f.rule}`);
  if (f.from) parts.push(sql`revoked_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) parts.push(sql`revoked_at < ${f.to.toISOString()}::timestamptz`);
  if (after) parts.push(sql`(revoked_at, channel_id, message_seq) < (${after[0]}::timestamptz, ${after[1]}, ${after[2]}::int8)`);
  return sql.join(parts, sql` and `);
}

/** Newest first, keyset-paginated on (revoked_at, channel_id, message_seq). */
export async function listRevocationsPage({
  db,
  filter,
  after,
  limit,
}: {
  db: Queryable;
  filter: RevocationFilter;
  after?: [string, string, number];
  limit: number;
}) {
  return db.execute<RevocationRow>(sql`
    select message_id, channel_id, message_seq, sender_uid, revoked_by, rule, reason, sent_at, revoked_at, ${exactTimestamp(sql`revoked_at`)} as revoked_key
      from revocations where ${where(filter, after)}
     order by revoked_at desc, channel_id desc, message_seq desc
     limit ${limit + 1}`);
}

export async function getRevocationDetail({ db, messageId }: { db: Queryable; messageId: string }) {
  const rows = await db.execute<RevocationRow & { payload: Record<string, unknown> | null }>(sql`
    select r.message_id, r.channel_id, r.message_seq, r.sender_uid, r.revoked_by, r.rule, r.reason, r.sent_at, r.revoked_at, m.payload
      from revocations r join messages m on m.channel_id = r.channel_id and m.message_seq = r.message_seq
     where r.message_id = ${messageId} limit 1`);
  return rows[0];
}
