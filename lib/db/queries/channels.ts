import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { ChannelRole } from "../../contracts/enums";
import type { Queryable } from "../client";
import { channelMembers, channels, users } from "../schema";
import { bigintArray, textArray } from "./arrays";

export type { ChannelRole };

export async function getChannel({ db, channelId }: { db: Queryable; channelId: string }) {
  const [row] = await db.select().from(channels).where(eq(channels.channelId, channelId)).limit(1);
  return row;
}

/** Locks the channel row: serialises seq allocation, membership changes and the change feed. */
export async function lockChannel({ db, channelId }: { db: Queryable; channelId: string }) {
  const [row] = await db.select().from(channels).where(eq(channels.channelId, channelId)).for("update").limit(1);
  return row;
}

export async function getMembership({ db, channelId, uid }: { db: Queryable; channelId: string; uid: string }) {
  const [row] = await db
    .select()
    .from(channelMembers)
    .where(and(eq(channelMembers.channelId, channelId), eq(channelMembers.uid, uid), isNull(channelMembers.leftSeq)))
    .limit(1);
  return row;
}

export async function getMemberRoles({ db, channelId, uids }: { db: Queryable; channelId: string; uids: string[] }) {
  const rows = await db
    .select({ uid: channelMembers.uid, role: channelMembers.role })
    .from(channelMembers)
    .where(and(eq(channelMembers.channelId, channelId), inArray(channelMembers.uid, uids), isNull(channelMembers.leftSeq)));
  return new Map(rows.map((r) => [r.uid, r.role]));
}

export async function insertChannel({
  db,
  channel,
}: {
  db: Queryable;
  channel: { channelId: string; channelType: number; name: string; createdBy: string | null };
}) {
  const [row] = await db.insert(channels).values(channel).onConflictDoNothing().returning();
  return row;
}

/**
 * Adds members at the channel's current position (they count for receipts
 * only on later messages). A former member rejoins at the new position in a
 * new interval: the one that ended is kept in channel_member_intervals (with
 * its reads), and the role is the one given now — leaving ended the old one.
 * Returns the uids that were not members before. Callers hold the channel lock.
 */
export async function upsertMembers({
  db,
  channelId,
  members,
  atSeq,
}: {
  db: Queryable;
  channelId: string;
  members: { uid: string; role: ChannelRole }[];
  atSeq: number;
}): Promise<string[]> {
  if (members.length === 0) return [];
  // An interval that covers no message (left before anything was sent) changes no count: it is not kept.
  await db.execute(sql`
    insert into channel_member_intervals (channel_id, uid, joined_seq, left_seq, read_seq, read_at, joined_at)
    select channel_id, uid, joined_seq, left_seq, least(last_read_seq, left_seq), last_read_at, joined_at
      from channel_members
     where channel_id = ${channelId} and uid = any(${textArray(members.map((m) => m.uid))})
       and left_seq is not null and left_seq > joined_seq`);
  const rows = await db
    .insert(channelMembers)
    .values(members.map((m) => ({ channelId, uid: m.uid, role: m.role, joinedSeq: atSeq, lastReadSeq: atSeq })))
    .onConflictDoUpdate({
      target: [channelMembers.channelId, channelMembers.uid],
      set: { leftSeq: null, role: sql`excluded.role`, joinedSeq: atSeq, lastReadSeq: atSeq, lastReadAt: null, joinedAt: sql`now()` },
      setWhere: sql`${channelMembers.leftSeq} is not null`,
    })
    .returning({ uid: channelMembers.uid });
  return rows.map((r) => r.uid);
}

/**
 * Ends a membership: leaving ends every role too (a re-added member starts as
 * `member`). Returns the interval's read cursor and end, or undefined if the
 * uid was not a member; messages after the cursor up to the end just lost an
 * unread member.
 */
export async function markMemberLeft({ db, channelId, uid, atSeq }: { db: Queryable; channelId: string; uid: string; atSeq: number }) {
  const [row] = await db
    .update(channelMembers)
    .set({ leftSeq: atSeq, role: "member" })
    .where(and(eq(channelMembers.channelId, channelId), eq(channelMembers.uid, uid), isNull(channelMembers.leftSeq)))
    .returning({ lastReadSeq: channelMembers.lastReadSeq, leftSeq: channelMembers.leftSeq });
  return row ? { lastReadSeq: row.lastReadSeq, leftSeq: atSeq } : undefined;
}

export async function listMembers({ db, channelId }: { db: Queryable; channelId: string }) {
  return db
    .select({ uid: channelMembers.uid, name: users.name, role: channelMembers.role, lastReadSeq: channelMembers.lastReadSeq })
    .from(channelMembers)
    .innerJoin(users, eq(users.uid, channelMembers.uid))
    .where(and(eq(channelMembers.channelId, channelId), isNull(channelMembers.leftSeq)))
    .orderBy(channelMembers.joinedAt, channelMembers.uid);
}

export async function listChannelIdsOfUser({ db, uid }: { db: Queryable; uid: string }) {
  const rows = await db
    .select({ channelId: channelMembers.channelId })
    .from(channelMembers)
    .where(and(eq(channelMembers.uid, uid), isNull(channelMembers.leftSeq)));
  return rows.map((r) => r.channelId);
}

export type ChannelListRow = {
  channelId: string;
  channelType: number;
  name: string;
  role: ChannelRole;
  receiptsEnabled: boolean;
  lastReadSeq: number;
  lastMessageSeq: number;
  unreadCount: number;
  peerName: string | null;
};

/**
 * The caller's channels with exact unread counts: others' messages after the
 * read cursor that were not revoked. One query for the whole list.
 */
export async function listChannelsOfUser({ db, uid }: { db: Queryable; uid: string }) {
  return db.execute<ChannelListRow>(sql`
    select c.channel_id, c.channel_type, c.name, m.role, c.receipts_enabled,
           m.last_read_seq, c.last_message_seq,
           (select count(*)::int from messages x
              where x.channel_id = c.channel_id and x.message_seq > m.last_read_seq and x.from_uid <> m.uid
                and not exists (select 1 from revocations r where r.channel_id = x.channel_id and r.message_seq = x.message_seq)
           ) as unread_count,
           case when c.channel_type = 1 then (
             select u.name from channel_members o join users u on u.uid = o.uid
              where o.channel_id = c.channel_id and o.uid <> m.uid limit 1) end as peer_name
      from channel_members m
      join channels c on c.channel_id = m.channel_id
     where m.uid = ${uid} and m.left_seq is null
     order by c.created_at desc
  `);
}

export async function setReceiptsEnabled({ db, channelId, enabled }: { db: Queryable; channelId: string; enabled: boolean }) {
  await db.update(channels).set({ receiptsEnabled: enabled }).where(eq(channels.channelId, channelId));
}

/** The channel and the user's current membership (if any) in one round trip. */
export async function getChannelAndMembership({ db, channelId, uid }: { db: Queryable; channelId: string; uid: string }) {
  const [row] = await db
    .select({ channel: channels, membership: channelMembers })
    .from(channels)
    .leftJoin(
      channelMembers,
      and(eq(channelMembers.channelId, channels.channelId), eq(channelMembers.uid, uid), isNull(channelMembers.leftSeq)),
    )
    .where(eq(channels.channelId, channelId))
    .limit(1);
  return row;
}

export async function setMemberRole({ db, channelId, uid, role }: { db: Queryable; channelId: string; uid: string; role: ChannelRole }) {
  const [row] = await db
    .update(channelMembers)
    .set({ role })
    .where(and(eq(channelMembers.channelId, channelId), eq(channelMembers.uid, uid), isNull(channelMembers.leftSeq)))
    .returning({ uid: channelMembers.uid, role: channelMembers.role });
  return row;
}

export async function renameChannel({ db, channelId, name }: { db: Queryable; channelId: string; name: string }) {
  await db.update(channels).set({ name }).where(eq(channels.channelId, channelId));
}

/** The channel's change-feed version, taken under its row lock by the caller. */
export async function setChangeVersion({ db, channelId, version }: { db: Queryable; channelId: string; version: number }) {
  await db.update(channels).set({ changeVersion: version }).where(eq(channels.channelId, channelId));
}

/** Everyone who was ever a member of a channel, also those who left. */
export async function listEverMemberUids({ db, channelId }: { db: Queryable; channelId: string }) {
  const rows = await db.selectDistinct({ uid: channelMembers.uid }).from(channelMembers).where(eq(channelMembers.channelId, channelId));
  return rows.map((r) => r.uid);
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
