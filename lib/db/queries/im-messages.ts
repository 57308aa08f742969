import { sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { bigintArray, textArray } from "./arrays";

/** im_messages: every WuKongIM message id seen (chat, CMD, no_persist), so a re-delivery is recognised. */

export async function listSeenImMessageIds({ db, ids }: { db: Queryable; ids: string[] }) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db.execute<{ messageId: string }>(sql`select message_id from im_messages where message_id = any(${textArray(ids)})`);
  return new Set(rows.map((r) => r.messageId));
}

/** Records first sightings; returns the ids that were new (a concurrent re-delivery gets none). */
export async function recordImMessages({
  db,
  items,
}: {
  db: Queryable;
  items: {
    messageId: string;
    kind: string;
    channelId: string;
    channelType: number;
    fromUid: string;
    messageSeq: number;
    payload: unknown;
  }[];
}) {
  if (items.length === 0) return new Set<string>();
  const rows = await db.execute<{ messageId: string }>(sql`
    insert into im_messages (message_id, kind, channel_id, channel_type, from_uid, message_seq, payload)
    select * from unnest(${textArray(items.map((i) => i.messageId))}, ${textArray(items.map((i) => i.kind))},
                         ${textArray(items.map((i) => i.channelId))}, ${textArray(items.map((i) => String(i.channelType)))}::int2[],
                         ${textArray(items.map((i) => i.fromUid))}, ${bigintArray(items.map((i) => i.messageSeq))},
                         ${textArray(items.map((i) => (i.payload === null ? "null" : JSON.stringify(i.payload))))}::jsonb[])
    on conflict (message_id) do nothing
    returning message_id`);
  return new Set(rows.map((r) => r.messageId));
}

export async function forgetImMessages({ db, ids }: { db: Queryable; ids: string[] }) {
  if (ids.length) await db.execute(sql`delete from im_messages where message_id = any(${textArray(ids)})`);
}

/** Erasure of a recalled message's IM copy (REVOKE_RETAIN_CONTENT=false). */
export async function eraseImMessagePayload({ db, messageId }: { db: Queryable; messageId: string }) {
  await db.execute(sql`update im_messages set payload = null where message_id = ${messageId}`);
}
