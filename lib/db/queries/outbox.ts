import { sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { outbox } from "../schema";
import { bigintArray, textArray } from "./arrays";

export async function enqueueOutbox({ db, entries }: { db: Queryable; entries: (typeof outbox.$inferInsert)[] }) {
  if (entries.length) await db.insert(outbox).values(entries);
}

type ClaimedRow = {
  id: number;
  topic: string;
  channelId: string | null;
  payload: Record<string, unknown>;
  attempts: number;
};

const toItem = (r: ClaimedRow) => ({ id: r.id, topic: r.topic, channelId: r.channelId, payload: r.payload, attempts: r.attempts });

/**
 * Claims due entries of the given topics under a lease: each is pushed
 * `leaseMs` into the future in one short statement (SKIP LOCKED, so
 * dispatchers never take the same rows), delivered outside any transaction,
 * then marked. A dispatcher that dies mid-delivery leaves the lease to run
 * out and another delivers it again: exclusive claim, at-least-once delivery.
 */
export async function claimDueOutbox({ db, topics, limit, leaseMs }: { db: Queryable; topics: string[]; limit: number; leaseMs: number }) {
  if (topics.length === 0) return [];
  const rows = await db.execute<ClaimedRow>(sql`
    update outbox set next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
     where id in (select id from outbox
                   where delivered_at is null and next_attempt_at <= now() and topic = any(${textArray(topics)})
                   order by id limit ${limit}
                   for update skip locked)
    returning id, topic, channel_id, payload, attempts`);
  return [...rows].map(toItem).sort((a, b) => a.id - b.id);
}

/**
 * Socket notices a previous process committed but never delivered (it
 * crashed): taken whole at start-up, before this process accepts
 * connections, to be handed to devices as they reconnect.
 */
export async function takeUndeliveredNotices({ db }: { db: Queryable }) {
  const rows = await db.execute<ClaimedRow>(sql`
    update outbox set delivered_at = now(), attempts = attempts + 1
     where delivered_at is null and destination = 'realtime'
    returning id, topic, channel_id, payload, attempts`);
  return [...rows].map(toItem).sort((a, b) => a.id - b.id);
}

export async function markOutboxDelivered({ db, ids }: { db: Queryable; ids: number[] }) {
  if (ids.length === 0) return;
  await db.execute(sql`update outbox set delivered_at = now(), attempts = attempts + 1
                        where id = any(${bigintArray(ids)})`);
}

export async function markOutboxFailed({ db, id, error, retryInMs }: { db: Queryable; id: number; error: string; retryInMs: number }) {
  await db.execute(sql`update outbox set attempts = attempts + 1, last_error = ${error.slice(0, 1000)},
                        next_attempt_at = now() + make_interval(secs => ${retryInMs / 1000})
                        where id = ${id}::int8`);
}

export async function outboxBacklog({ db }: { db: Queryable }) {
  const [row] = await db.execute<{ pending: number; oldest: Date | null }>(sql`
    select count(*)::int as pending, min(created_at) as oldest from outbox where delivered_at is null`);
  return row ?? { pending: 0, oldest: null };
}

/**
 * One `wukongim:cmd_binding` entry per current member, once ever (the marker is a
 * backfill entry ever queued): lib/outbox/cmd-bindings.ts § backfillCmdBindings.
 */
export async function queueCmdBindingBackfill(db: Queryable): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`
    with queued as (
      insert into outbox (destination, topic, channel_id, payload)
      select 'wukongim', 'wukongim:cmd_binding', m.channel_id,
             jsonb_build_object('uid', m.uid, 'channel_id', m.channel_id, 'channel_type', c.channel_type, 'backfill', true)
        from channel_members m join channels c on c.channel_id = m.channel_id
       where m.left_seq is null
         and not exists (select 1 from outbox where topic = 'wukongim:cmd_binding' and payload->'backfill' is not null)
       order by m.channel_id, m.uid
      returning 1)
    select count(*)::int as n from queued`);
  return [...rows][0]?.n ?? 0;
}
