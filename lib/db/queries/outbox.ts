import { sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { outbox, type OutboxEntry } from "../schema";

export async function enqueueOutbox({ db, entries }: { db: Queryable; entries: (typeof outbox.$inferInsert)[] }) {
  if (entries.length) await db.insert(outbox).values(entries);
}

/**
 * Claims due entries for delivery inside the caller's transaction: rows
 * another transaction holds are skipped, so each entry is worked on by one
 * dispatcher at a time, cluster-wide.
 */
export async function claimDueOutbox({ db, limit }: { db: Queryable; limit: number }) {
  return db.execute<{
    id: string;
    destination: OutboxEntry["destination"];
    topic: string;
    channel_id: string | null;
    payload: Record<string, unknown>;
    attempts: number;
  }>(sql`
    select id, destination, topic, channel_id, payload, attempts from outbox
     where delivered_at is null and next_attempt_at <= now()
     order by id
     limit ${limit}
     for update skip locked`);
}

export async function markOutboxDelivered({ db, ids }: { db: Queryable; ids: string[] }) {
  if (ids.length === 0) return;
  await db.execute(sql`update outbox set delivered_at = now(), attempts = attempts + 1
                        where id = any(${sql.raw("array[")}${sql.join(ids.map((id) => sql`${id}::int8`), sql`, `)}${sql.raw("]")})`);
}

export async function markOutboxFailed({ db, id, error, retryInMs }: { db: Queryable; id: string; error: string; retryInMs: number }) {
  await db.execute(sql`update outbox set attempts = attempts + 1, last_error = ${error.slice(0, 1000)},
                        next_attempt_at = now() + make_interval(secs => ${retryInMs / 1000})
                        where id = ${id}::int8`);
}

export async function outboxBacklog({ db }: { db: Queryable }) {
  const [row] = await db.execute<{ pending: number; oldest: Date | null }>(sql`
    select count(*)::int as pending, min(created_at) as oldest from outbox where delivered_at is null`);
  return row ?? { pending: 0, oldest: null };
}
