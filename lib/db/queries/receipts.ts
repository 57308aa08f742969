import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { bigintArray, textArray } from "./arrays";

export type CountRow = {
  messageSeq: number;
  readCount: number;
  unreadCount: number;
};

const INF = sql.raw("9223372036854775806");

/**
 * Every membership interval of a channel that overlaps messages [lo, hi]: the
 * latest one per member (channel_members) and the earlier ones a rejoin closed
 * (channel_member_intervals). Intervals of one member never overlap, so each
 * message has at most one interval per member.
 */
const intervalsOverlapping = (channelId: string, lo: SQL, hi: SQL) => sql`
  select uid, joined_seq, left_seq, least(last_read_seq, coalesce(left_seq, ${INF})) as read_seq, last_read_at as read_at
    from channel_members
   where channel_id = ${channelId} and joined_seq < ${hi} and coalesce(left_seq, ${INF}) >= ${lo}
  union all
  select uid, joined_seq, left_seq, read_seq, read_at
    from channel_member_intervals
   where channel_id = ${channelId} and joined_seq < ${hi} and left_seq >= ${lo}`;

/**
 * Exact read/unread counts for a set of messages of one channel, in one query
 * whose cost is one pass over the members plus a sort of the few whose
 * intervals start or end inside the page — not members × messages.
 *
 * The rule (docs/api.md § Read receipts): message s's audience is the
 * intervals covering it (joined_seq < s <= left_seq). An interval has read s
 * when s <= read_seq — a fact that stays after leaving or rejoining. It has s
 * unread only while still open (left_seq null) and s > read_seq: someone who
 * left without reading drops out. Within the page [lo, hi] an interval reads
 * [a, r] and, if open, has unread [r + 1, ∞). Intervals covering lo form the
 * base counts; intervals starting or ending inside the page emit +1/-1
 * events; a running sum at each message seq adds them to the base. The
 * sender's own interval is taken off afterwards.
 */
export async function countReceipts({
  db,
  channelId,
  items,
}: {
  db: Queryable;
  channelId: string;
  items: { seq: number; fromUid: string }[];
}): Promise<CountRow[]> {
  if (items.length === 0) return [];
  const seqs = items.map((i) => i.seq);
  const lo = sql`${Math.min(...seqs)}::int8`;
  const hi = sql`${Math.max(...seqs)}::int8`;
  return db.execute<CountRow>(sql`
    with page(seq, sender) as (select * from unnest(${bigintArray(seqs)}, ${textArray(items.map((i) => i.fromUid))})),
    mem as materialized (
      select uid, joined_seq, left_seq, read_seq,
             greatest(joined_seq + 1, ${lo}) as a, read_seq as r, greatest(joined_seq + 1, read_seq + 1, ${lo}) as u, left_seq is null as open
        from (${intervalsOverlapping(channelId, lo, hi)}) iv
    ),
    base as (
      select count(*) filter (where a = ${lo} and r >= ${lo}) as readers,
             count(*) filter (where open and u = ${lo}) as unread
        from mem
    ),
    ev(pos, dr, du, marker) as (
      select a, 1, 0, false from mem where a > ${lo} and r >= a
      union all select r + 1, -1, 0, false from mem where r >= a and r < ${hi}
      union all select u, 0, 1, false from mem where open and u > ${lo} and u <= ${hi}
      union all select seq, 0, 0, true from page
    ),
    run as (
      select pos, marker, sum(dr) over w as readers, sum(du) over w as unread
        from ev
      window w as (order by pos, marker rows between unbounded preceding and current row)
    )
    select p.seq as message_seq,
           (base.readers + run.readers - case when s.read_seq >= p.seq then 1 else 0 end)::int as read_count,
           (base.unread + run.unread - case when s.left_seq is null and s.read_seq < p.seq then 1 else 0 end)::int as unread_count
      from page p
      cross join base
      join run on run.pos = p.seq and run.marker
      left join mem s on s.uid = p.sender and s.joined_seq < p.seq and coalesce(s.left_seq, ${INF}) >= p.seq`);
}

export type ReaderRow = {
  uid: string;
  name: string;
  hasRead: boolean;
  readAt: Date | null;
};

/**
 * The lists behind countReceipts' numbers for one message, by the same rule:
 * who of its audience read it and when (the read event that covered it), and
 * who of those still in the channel has not.
 */
export async function listReaders({ db, channelId, seq, senderUid }: { db: Queryable; channelId: string; seq: number; senderUid: string }) {
  const s = sql`${seq}::int8`;
  return db.execute<ReaderRow>(sql`
    with iv as (${intervalsOverlapping(channelId, s, s)})
    select iv.uid, u.name, iv.read_seq >= ${s} as has_read,
           case when iv.read_seq >= ${s} then coalesce(
             (select e.read_at from read_events e
               where e.channel_id = ${channelId} and e.uid = iv.uid and e.to_seq >= ${s} and e.from_seq < ${s}
               order by e.to_seq asc limit 1),
             iv.read_at) end as read_at
      from iv
      join users u on u.uid = iv.uid
     where iv.uid <> ${senderUid} and (iv.read_seq >= ${s} or iv.left_seq is null)
     order by has_read desc, read_at asc nulls last, u.name asc`);
}

export type CursorMove = {
  channelId: string;
  uid: string;
  oldSeq: number;
  newSeq: number;
  moved: boolean;
};

/**
 * Moves many read cursors in one statement, forward only and never past the
 * channel's latest message, and records one read event per cursor that moved.
 * Input pairs must be unique per (channel, uid). Non-members are absent from
 * the result.
 */
export async function advanceCursors({
  db,
  reads,
  at,
}: {
  db: Queryable;
  reads: { channelId: string; uid: string; seq: number }[];
  /** When the reads happened, by the clock every rule reads (lib/clock.ts). */
  at: Date;
}): Promise<CursorMove[]> {
  if (reads.length === 0) return [];
  const readAt = sql`${at.toISOString()}::timestamptz`;
  return db.execute<CursorMove>(sql`
    with input(channel_id, uid, seq) as (
      select * from unnest(${textArray(reads.map((r) => r.channelId))}, ${textArray(reads.map((r) => r.uid))}, ${bigintArray(reads.map((r) => r.seq))})
    ),
    target as (
      select cm.channel_id, cm.uid, cm.last_read_seq as old_seq,
             greatest(cm.last_read_seq, least(i.seq, c.last_message_seq)) as new_seq
        from input i
        join channel_members cm on cm.channel_id = i.channel_id and cm.uid = i.uid and cm.left_seq is null
        join channels c on c.channel_id = i.channel_id
       order by cm.channel_id, cm.uid
         for update of cm
    ),
    moved as (
      update channel_members cm set last_read_seq = t.new_seq, last_read_at = ${readAt}
        from target t
       where cm.channel_id = t.channel_id and cm.uid = t.uid and t.new_seq > t.old_seq
      returning cm.channel_id, cm.uid
    ),
    logged as (
      insert into read_events (channel_id, uid, from_seq, to_seq, read_at)
      select t.channel_id, t.uid, t.old_seq, t.new_seq, ${readAt} from target t where t.new_seq > t.old_seq
    )
    select t.channel_id, t.uid, t.old_seq, t.new_seq, t.new_seq > t.old_seq as moved from target t`);
}

/** Receipt events older than the retention are non-core data (the article's advice): delete them. */
export async function purgeReadEvents({ db, olderThanDays, at }: { db: Queryable; olderThanDays: number; at: Date }) {
  const rows = await db.execute<{ n: number }>(sql`
    with gone as (delete from read_events where read_at < ${at.toISOString()}::timestamptz - make_interval(days => ${olderThanDays}) returning 1)
    select count(*)::int as n from gone`);
  return rows[0]?.n ?? 0;
}

/**
 * Takes the channel's flush slot if the last flush, on any instance, was at
 * least windowMs ago. Returns 0 when taken, else the ms left to wait.
 */
export async function takeFlushLease({
  db,
  channelId,
  windowMs,
  at,
}: {
  db: Queryable;
  channelId: string;
  windowMs: number;
  /** The clock's now (lib/clock.ts): the flush window runs on the clock every rule reads. */
  at: Date;
}): Promise<number> {
  const now = sql`${at.toISOString()}::timestamptz`;
  const rows = await db.execute<{ waitMs: number }>(sql`
    with taken as (
      insert into receipt_flush_leases (channel_id, flushed_at) values (${channelId}, ${now})
      on conflict (channel_id) do update set flushed_at = ${now}
       -- a lease "in the future" was taken before a test moved the clock back: it is stale
       where receipt_flush_leases.flushed_at <= ${now} - make_interval(secs => ${windowMs / 1000})
          or receipt_flush_leases.flushed_at > ${now}
      returning 0 as wait_ms
    )
    select wait_ms from taken
    union all
    select least(${windowMs}, greatest(1, ceil(extract(epoch from (l.flushed_at + make_interval(secs => ${windowMs / 1000}) - ${now})) * 1000)))::int
      from receipt_flush_leases l where l.channel_id = ${channelId} and not exists (select 1 from taken)`);
  return rows[0]?.waitMs ?? 0;
}
