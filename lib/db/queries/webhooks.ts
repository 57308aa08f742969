import { sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { presence, pushNotifications, webhookEvents } from "../schema";
import { bigintArray, textArray } from "./arrays";

export async function insertWebhookEvent({ db, event }: { db: Queryable; event: typeof webhookEvents.$inferInsert }) {
  const [row] = await db.insert(webhookEvents).values(event).returning();
  return row;
}

export async function getWebhookEvent({ db, id }: { db: Queryable; id: number }) {
  const rows = await db.select().from(webhookEvents).where(sql`${webhookEvents.id} = ${id}`).limit(1);
  return rows[0];
}

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

/** IM users we have not met yet get an account that cannot sign in (no password). */
export async function ensureImUsers({ db, uids }: { db: Queryable; uids: string[] }) {
  if (uids.length === 0) return;
  await db.execute(sql`insert into users (uid, name, password_hash)
                       select u, u, '!' from unnest(${textArray(uids)}) u on conflict do nothing`);
}

export async function ensureChannels({ db, channels }: { db: Queryable; channels: { channelId: string; channelType: number }[] }) {
  if (channels.length === 0) return new Set<string>();
  const rows = await db.execute<{ channelId: string }>(sql`
    insert into channels (channel_id, channel_type, name)
    select c, t, c from unnest(${textArray(channels.map((c) => c.channelId))}, ${textArray(channels.map((c) => String(c.channelType)))}::int2[]) as x(c, t)
    on conflict do nothing returning channel_id`);
  return new Set(rows.map((r) => r.channelId));
}

export async function ensureMembers({ db, members }: { db: Queryable; members: { channelId: string; uid: string; joinedSeq: number }[] }) {
  if (members.length === 0) return;
  await db.execute(sql`
    insert into channel_members (channel_id, uid, role, joined_seq, last_read_seq)
    select c, u, 'member', j, j
      from unnest(${textArray(members.map((m) => m.channelId))}, ${textArray(members.map((m) => m.uid))}, ${bigintArray(members.map((m) => m.joinedSeq))}) as x(c, u, j)
    on conflict do nothing`);
}

export async function insertImChatMessages({
  db,
  rows,
}: {
  db: Queryable;
  rows: {
    channelId: string;
    seq: number;
    messageId: string;
    clientMsgNo: string;
    fromUid: string;
    channelType: number;
    sentAt: Date;
    payload: unknown;
  }[];
}) {
  if (rows.length === 0) return new Set<string>();
  const inserted = await db.execute<{ messageId: string }>(sql`
    insert into messages (channel_id, message_seq, message_id, client_msg_no, from_uid, channel_type, sent_at, payload, source)
    select c, s, m, n, f, t, a, p, 'wukongim'
      from unnest(${textArray(rows.map((r) => r.channelId))}, ${bigintArray(rows.map((r) => r.seq))}, ${textArray(rows.map((r) => r.messageId))},
                  ${textArray(rows.map((r) => r.clientMsgNo))}, ${textArray(rows.map((r) => r.fromUid))},
                  ${textArray(rows.map((r) => String(r.channelType)))}::int2[], ${textArray(rows.map((r) => r.sentAt.toISOString()))}::timestamptz[],
                  ${textArray(rows.map((r) => JSON.stringify(r.payload)))}::jsonb[]) as x(c, s, m, n, f, t, a, p)
    on conflict do nothing
    returning message_id`);
  await db.execute(sql`
    update channels c set last_message_seq = greatest(c.last_message_seq, v.seq)
      from (select c as channel_id, max(s) as seq from unnest(${textArray(rows.map((r) => r.channelId))}, ${bigintArray(rows.map((r) => r.seq))}) as x(c, s) group by c) v
     where c.channel_id = v.channel_id`);
  return new Set(inserted.map((r) => r.messageId));
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

// PostgreSQL takes at most 65,535 parameters per statement: multi-row inserts go in chunks.
const CHUNK = 1000;

export async function insertPushNotifications({ db, rows }: { db: Queryable; rows: (typeof pushNotifications.$inferInsert)[] }) {
  const inserted = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    inserted.push(
      ...(await db
        .insert(pushNotifications)
        .values(rows.slice(i, i + CHUNK))
        .onConflictDoNothing()
        .returning()),
    );
  }
  return inserted;
}

/** The retraction records: pushes of a message recalled afterwards. */
export async function retractPushes({ db, messageId }: { db: Queryable; messageId: string }) {
  return db
    .update(pushNotifications)
    .set({ retractedAt: sql`now()` })
    .where(
      sql`${pushNotifications.messageId} = ${messageId} and ${pushNotifications.decision} = 'push' and ${pushNotifications.retractedAt} is null`,
    )
    .returning();
}

export async function upsertPresence({ db, rows }: { db: Queryable; rows: (typeof presence.$inferInsert)[] }) {
  for (let i = 0; i < rows.length; i += CHUNK) await upsertPresenceChunk(db, rows.slice(i, i + CHUNK));
}

async function upsertPresenceChunk(db: Queryable, rows: (typeof presence.$inferInsert)[]) {
  await db
    .insert(presence)
    .values(rows)
    .onConflictDoUpdate({
      target: [presence.uid, presence.deviceFlag],
      set: {
        online: sql`excluded.online`,
        connId: sql`excluded.conn_id`,
        deviceOnlineCount: sql`excluded.device_online_count`,
        totalOnlineCount: sql`excluded.total_online_count`,
        updatedAt: sql`now()`,
      },
    });
}

/** Erasure of a recalled message's IM copy (REVOKE_RETAIN_CONTENT=false). */
export async function eraseImMessagePayload({ db, messageId }: { db: Queryable; messageId: string }) {
  await db.execute(sql`update im_messages set payload = null where message_id = ${messageId}`);
}

/** The logged deliveries whose body mentions a message id (a scan of the log: run only at erasure). */
export async function listWebhookBodiesMentioning({ db, messageId }: { db: Queryable; messageId: string }) {
  return db.execute<{ id: number; body: string }>(
    sql`select id, body from webhook_events where strpos(body, ${messageId}) > 0 order by id`,
  );
}

export async function setWebhookEventBody({ db, id, body }: { db: Queryable; id: number; body: string }) {
  await db.execute(sql`update webhook_events set body = ${body} where id = ${id}`);
}
