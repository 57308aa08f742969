import { sql } from "drizzle-orm";
import type { Queryable } from "../client";

/** Activity per hour over the last `hours`: messages, revokes, read events, webhook deliveries. */
export async function activityByHour({ db, hours }: { db: Queryable; hours: number }) {
  return db.execute<{ hour: Date; messages: number; revokes: number; reads: number; deliveries: number }>(sql`
    with hours as (
      select generate_series(date_trunc('hour', now()) - make_interval(hours => ${hours - 1}), date_trunc('hour', now()), interval '1 hour') as hour
    )
    select h.hour,
           (select count(*)::int from messages m where m.sent_at >= h.hour and m.sent_at < h.hour + interval '1 hour') as messages,
           (select count(*)::int from revocations r where r.revoked_at >= h.hour and r.revoked_at < h.hour + interval '1 hour') as revokes,
           (select count(*)::int from read_events e where e.read_at >= h.hour and e.read_at < h.hour + interval '1 hour') as reads,
           (select count(*)::int from webhook_events w where w.received_at >= h.hour and w.received_at < h.hour + interval '1 hour') as deliveries
      from hours h order by h.hour`);
}

export async function totals({ db }: { db: Queryable }) {
  const [row] = await db.execute<{ users: number; channels: number; messages: number; revokes: number; onlineDevices: number }>(sql`
    select (select count(*)::int from users) as users,
           (select count(*)::int from channels) as channels,
           (select count(*)::int from messages) as messages,
           (select count(*)::int from revocations) as revokes,
           (select count(*)::int from presence where online) as online_devices`);
  return row;
}

export type ChannelStatsRow = {
  channelId: string;
  name: string;
  channelType: number;
  members: number;
  messages: number;
  receiptsEnabled: boolean;
};

export async function listChannelStats({ db, limit, afterId }: { db: Queryable; limit: number; afterId?: string }) {
  return db.execute<ChannelStatsRow>(sql`
    select c.channel_id, c.name, c.channel_type, c.receipts_enabled, c.last_message_seq as messages,
           (select count(*)::int from channel_members m where m.channel_id = c.channel_id and m.left_seq is null) as members
      from channels c ${afterId ? sql`where c.channel_id > ${afterId}` : sql``}
     order by c.channel_id limit ${limit + 1}`);
}

/**
 * Time-to-read of one channel's recent messages, exact, from the read events:
 * each event covers the messages (from_seq, to_seq] its reader had not read.
 */
export async function timeToRead({ db, channelId, days }: { db: Queryable; channelId: string; days: number }) {
  const [row] = await db.execute<{ pairs: number; medianS: number | null; p90S: number | null }>(sql`
    select count(*)::int as pairs,
           percentile_cont(0.5) within group (order by extract(epoch from e.read_at - m.sent_at)) as median_s,
           percentile_cont(0.9) within group (order by extract(epoch from e.read_at - m.sent_at)) as p90_s
      from read_events e
      join messages m on m.channel_id = e.channel_id and m.message_seq > e.from_seq and m.message_seq <= e.to_seq and m.from_uid <> e.uid
     where e.channel_id = ${channelId} and e.read_at > now() - make_interval(days => ${days})`);
  const buckets = await db.execute<{ bucket: string; n: number }>(sql`
    select case when s < 10 then '<10s' when s < 60 then '10s–1m' when s < 600 then '1–10m' when s < 3600 then '10m–1h' when s < 86400 then '1h–1d' else '>1d' end as bucket,
           count(*)::int as n
      from (select extract(epoch from e.read_at - m.sent_at) as s
              from read_events e
              join messages m on m.channel_id = e.channel_id and m.message_seq > e.from_seq and m.message_seq <= e.to_seq and m.from_uid <> e.uid
             where e.channel_id = ${channelId} and e.read_at > now() - make_interval(days => ${days})) t
     group by 1`);
  return { ...row, buckets };
}

/** Members with the most unread (others' unrevoked messages after their cursor). */
export async function mostUnread({ db, channelId, limit }: { db: Queryable; channelId: string; limit: number }) {
  return db.execute<{ uid: string; name: string; unread: number }>(sql`
    select cm.uid, u.name,
           (select count(*)::int from messages x where x.channel_id = cm.channel_id and x.message_seq > cm.last_read_seq and x.from_uid <> cm.uid
              and not exists (select 1 from revocations r where r.channel_id = x.channel_id and r.message_seq = x.message_seq)) as unread
      from channel_members cm join users u on u.uid = cm.uid
     where cm.channel_id = ${channelId} and cm.left_seq is null
     order by unread desc, cm.uid limit ${limit}`);
}

export async function recentMessagesForStats({ db, channelId, limit }: { db: Queryable; channelId: string; limit: number }) {
  return db.execute<{ messageSeq: number; messageId: string; fromUid: string; sentAt: Date }>(sql`
    select m.message_seq, m.message_id, m.from_uid, m.sent_at from messages m
     where m.channel_id = ${channelId}
       and not exists (select 1 from revocations r where r.channel_id = m.channel_id and r.message_seq = m.message_seq)
     order by m.message_seq desc limit ${limit}`);
}
