import { and, eq, sql } from "drizzle-orm";
import type { ChannelRole } from "@/lib/contracts/enums";
import type { Database, Queryable } from "../client";
import { channels, messages } from "../schema";
import { bigintArray, textArray } from "./arrays";
import { preparedRows } from "./prepared";

/** A message row merged with its revoke record (if any): what history serves. */
export type MessageWithRevoke = {
  channelId: string;
  messageSeq: number;
  messageId: string;
  clientMsgNo: string;
  fromUid: string;
  channelType: number;
  sentAt: Date;
  payload: Record<string, unknown> | null;
  revokedBy: string | null;
  revokedAt: Date | null;
};

const SELECT_MERGED = sql`
  select m.channel_id, m.message_seq, m.message_id, m.client_msg_no, m.from_uid, m.channel_type,
         m.sent_at, m.payload, r.revoked_by, r.revoked_at
    from messages m
    left join revocations r on r.channel_id = m.channel_id and r.message_seq = m.message_seq`;

/**
 * One page of history with the revoke merge in the same query. Without a
 * cursor: the latest `limit`; `before` pages older, `after` newer. Fetches
 * limit + 1 rows to know whether there are more.
 */
export async function listHistoryPage({
  db,
  channelId,
  beforeSeq,
  afterSeq,
  limit,
}: {
  db: Queryable;
  channelId: string;
  beforeSeq?: number;
  afterSeq?: number;
  limit: number;
}) {
  const ascending = afterSeq !== undefined;
  const rows = await db.execute<MessageWithRevoke>(sql`
    ${SELECT_MERGED}
    where m.channel_id = ${channelId}
      ${afterSeq !== undefined ? sql`and m.message_seq > ${afterSeq}` : sql``}
      ${beforeSeq !== undefined ? sql`and m.message_seq < ${beforeSeq}` : sql``}
    order by m.message_seq ${ascending ? sql`asc` : sql`desc`}
    limit ${limit + 1}`);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (!ascending) page.reverse();
  return { rows: page, more };
}

/** What one history request needs besides the counts: the channel's facts, the viewer's membership, the page, its senders' roles. */
export type HistoryView = {
  channel?: { receiptsEnabled: boolean; changeVersion: number };
  /** The viewer's current membership; undefined for a non-member (who gets no rows). */
  membership?: { role: ChannelRole };
  rows: MessageWithRevoke[];
  more: boolean;
  /** The current channel role of each sender on the page (absent: no longer a member). */
  senderRoles: Map<string, ChannelRole>;
};

type HistoryViewRow = MessageWithRevoke & {
  receiptsEnabled: boolean;
  changeVersion: number;
  viewerRole: ChannelRole | null;
  senderRole: ChannelRole | null;
};

/**
 * A history page as one round trip (#22): the channel, the viewer's
 * membership, the page merged with its revokes (as listHistoryPage) and each
 * sender's current role — one snapshot, so the version is the one the page
 * was read at. No channel: no row; a non-member: one row without a page, so
 * nothing of the history is read for them. A named prepared statement: parsed
 * and planned once per connection, not per page.
 */
export async function getHistoryView({
  db,
  channelId,
  viewerUid,
  beforeSeq,
  afterSeq,
  limit,
}: {
  db: Database;
  channelId: string;
  viewerUid: string;
  beforeSeq?: number;
  afterSeq?: number;
  limit: number;
}): Promise<HistoryView> {
  const ascending = afterSeq !== undefined;
  const found = await preparedRows<HistoryViewRow>(
    db,
    sql`
    select c.receipts_enabled, c.change_version, me.role as viewer_role, s.role as sender_role, p.*
      from channels c
      left join channel_members me on me.channel_id = c.channel_id and me.uid = ${viewerUid} and me.left_seq is null
      left join lateral (
        ${SELECT_MERGED}
        where m.channel_id = c.channel_id
          ${afterSeq !== undefined ? sql`and m.message_seq > ${afterSeq}::int8` : sql``}
          ${beforeSeq !== undefined ? sql`and m.message_seq < ${beforeSeq}::int8` : sql``}
        order by m.message_seq ${ascending ? sql`asc` : sql`desc`}
        limit ${limit + 1}::int8
      ) p on me.uid is not null
      left join channel_members s on s.channel_id = c.channel_id and s.uid = p.from_uid and s.left_seq is null
     where c.channel_id = ${channelId}`,
  );
  const first = found[0];
  if (!first) return { rows: [], more: false, senderRoles: new Map() };
  const view: HistoryView = {
    channel: { receiptsEnabled: first.receiptsEnabled, changeVersion: first.changeVersion },
    membership: first.viewerRole ? { role: first.viewerRole } : undefined,
    rows: [],
    more: false,
    senderRoles: new Map(),
  };
  const page = found.filter((r) => r.messageId !== null);
  // The lateral page keeps its order only as far as the join does: order by seq here.
  page.sort((a, b) => a.messageSeq - b.messageSeq);
  view.more = page.length > limit;
  const kept = ascending ? page.slice(0, limit) : page.slice(page.length - limit);
  for (const r of kept) {
    if (r.senderRole) view.senderRoles.set(r.fromUid, r.senderRole);
    view.rows.push({
      channelId: r.channelId,
      messageSeq: r.messageSeq,
      messageId: r.messageId,
      clientMsgNo: r.clientMsgNo,
      fromUid: r.fromUid,
      channelType: r.channelType,
      sentAt: r.sentAt,
      payload: r.payload,
      revokedBy: r.revokedBy,
      revokedAt: r.revokedAt,
    });
  }
  return view;
}

export async function getMergedMessageById({ db, messageId }: { db: Queryable; messageId: string }) {
  const rows = await db.execute<MessageWithRevoke>(sql`${SELECT_MERGED} where m.message_id = ${messageId} limit 1`);
  return rows[0];
}

/** The newest message of each channel, one index probe per channel. */
export async function listLastMessages({ db, channelIds }: { db: Queryable; channelIds: string[] }) {
  if (channelIds.length === 0) return [];
  return db.execute<MessageWithRevoke>(sql`
    select l.* from unnest(${textArray(channelIds)}) as x(id)
    cross join lateral (${SELECT_MERGED} where m.channel_id = x.id order by m.message_seq desc limit 1) l`);
}

export async function getMessageByClientMsgNo({
  db,
  channelId,
  fromUid,
  clientMsgNo,
}: {
  db: Queryable;
  channelId: string;
  fromUid: string;
  clientMsgNo: string;
}) {
  const rows = await db.execute<MessageWithRevoke>(sql`
    ${SELECT_MERGED}
    where m.channel_id = ${channelId} and m.from_uid = ${fromUid} and m.client_msg_no = ${clientMsgNo}`);
  return rows[0];
}

/** Takes the next seq of the channel; the caller's transaction keeps it gapless. */
export async function allocateSeq({ db, channelId }: { db: Queryable; channelId: string }) {
  const [row] = await db
    .update(channels)
    .set({ lastMessageSeq: sql`${channels.lastMessageSeq} + 1` })
    .where(eq(channels.channelId, channelId))
    .returning({ seq: channels.lastMessageSeq, channelType: channels.channelType });
  return row;
}

export async function insertMessage({ db, message }: { db: Queryable; message: typeof messages.$inferInsert }) {
  const [row] = await db.insert(messages).values(message).onConflictDoNothing().returning();
  return row;
}

export async function erasePayload({ db, channelId, seq }: { db: Queryable; channelId: string; seq: number }) {
  await db
    .update(messages)
    .set({ payload: null })
    .where(and(eq(messages.channelId, channelId), eq(messages.messageSeq, seq)));
}

/** The newest `limit` unrevoked messages with lo <= seq <= hi (whose receipt counts may have changed). */
export async function listCountableInRange({
  db,
  channelId,
  lo,
  hi,
  limit,
}: {
  db: Queryable;
  channelId: string;
  lo: number;
  hi: number;
  limit: number;
}) {
  return db.execute<{ messageSeq: number; messageId: string; fromUid: string }>(sql`
    select m.message_seq, m.message_id, m.from_uid
      from messages m
     where m.channel_id = ${channelId} and m.message_seq between ${lo} and ${hi}
       and not exists (select 1 from revocations r where r.channel_id = m.channel_id and r.message_seq = m.message_seq)
     order by m.message_seq desc
     limit ${limit}`);
}

export async function getMergedMessagesByIds({ db, messageIds }: { db: Queryable; messageIds: string[] }) {
  if (messageIds.length === 0) return [];
  return db.execute<MessageWithRevoke>(
    sql`${SELECT_MERGED} where m.message_id = any(${textArray(messageIds)}) order by m.channel_id, m.message_seq`,
  );
}

/**
 * WuKongIM chat messages into history, each once (a message whose seq is held
 * by another is not inserted). Returns what the announcement after the commit
 * needs without reading the rows back (#22): each inserted message's revoke
 * record, if one was already there, and each channel's receipts setting.
 */
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
  const inserted = new Map<string, { revokedBy: string | null; revokedAt: Date | null }>();
  const receiptsEnabled = new Map<string, boolean>();
  if (rows.length === 0) return { inserted, receiptsEnabled };
  const insertedRows = await db.execute<{ messageId: string; revokedBy: string | null; revokedAt: Date | null }>(sql`
    with ins as (
      insert into messages (channel_id, message_seq, message_id, client_msg_no, from_uid, channel_type, sent_at, payload, source)
      select c, s, m, n, f, t, a, p, 'wukongim'
        from unnest(${textArray(rows.map((r) => r.channelId))}, ${bigintArray(rows.map((r) => r.seq))}, ${textArray(rows.map((r) => r.messageId))},
                    ${textArray(rows.map((r) => r.clientMsgNo))}, ${textArray(rows.map((r) => r.fromUid))},
                    ${textArray(rows.map((r) => String(r.channelType)))}::int2[], ${textArray(rows.map((r) => r.sentAt.toISOString()))}::timestamptz[],
                    ${textArray(rows.map((r) => JSON.stringify(r.payload)))}::jsonb[]) as x(c, s, m, n, f, t, a, p)
      on conflict do nothing
      returning channel_id, message_seq, message_id
    )
    select ins.message_id, r.revoked_by, r.revoked_at
      from ins left join revocations r on r.channel_id = ins.channel_id and r.message_seq = ins.message_seq`);
  for (const r of insertedRows) inserted.set(r.messageId, { revokedBy: r.revokedBy, revokedAt: r.revokedAt });
  const channelRows = await db.execute<{ channelId: string; receiptsEnabled: boolean }>(sql`
    update channels c set last_message_seq = greatest(c.last_message_seq, v.seq)
      from (select c as channel_id, max(s) as seq from unnest(${textArray(rows.map((r) => r.channelId))}, ${bigintArray(rows.map((r) => r.seq))}) as x(c, s) group by c) v
     where c.channel_id = v.channel_id
    returning c.channel_id, c.receipts_enabled`);
  for (const r of channelRows) receiptsEnabled.set(r.channelId, r.receiptsEnabled);
  return { inserted, receiptsEnabled };
}
