import { sql } from "drizzle-orm";
import { exactTimestamp } from "./fragments";
import type { Queryable } from "../client";

export type WebhookEventRow = {
  id: number;
  event: string;
  status: string;
  received_at: Date;
  error: string | null;
  body_bytes: number;
  body_truncated: boolean;
  items_total: number;
  items_accepted: number;
  items_duplicate: number;
  items_rejected: number;
  chat_count: number;
  cmd_count: number;
  replay_of: string | null;
};

export async function listWebhookEventsPage({
  db,
  event,
  status,
  beforeId,
  limit,
}: {
  db: Queryable;
  event?: string;
  status?: string;
  beforeId?: number;
  limit: number;
}) {
  return db.execute<WebhookEventRow>(sql`
    select id, event, status, received_at, error, body_bytes, body_truncated, items_total, items_accepted,
           items_duplicate, items_rejected, chat_count, cmd_count, replay_of
      from webhook_events
     where true ${event ? sql`and event = ${event}` : sql``} ${status ? sql`and status = ${status}` : sql``}
           ${beforeId ? sql`and id < ${beforeId}` : sql``}
     order by id desc limit ${limit + 1}`);
}

/** Deliveries per hour, event and status over the last `hours`. */
export async function webhookCountsByHour({ db, hours }: { db: Queryable; hours: number }) {
  return db.execute<{ hour: Date; event: string; status: string; n: number; chat: number; cmd: number }>(sql`
    select date_trunc('hour', received_at) as hour, event, status, count(*)::int as n,
           sum(chat_count)::int as chat, sum(cmd_count)::int as cmd
      from webhook_events where received_at > now() - make_interval(hours => ${hours})
     group by 1, 2, 3 order by 1`);
}

export async function lastDeliveryPerEvent({ db }: { db: Queryable }) {
  return db.execute<{ event: string; last_at: Date; last_status: string }>(sql`
    select distinct on (event) event, received_at as last_at, status as last_status
      from webhook_events where event <> '' order by event, received_at desc`);
}

export type PushRow = {
  message_id: string;
  uid: string;
  channel_id: string;
  kind: string;
  decision: string;
  provider: string;
  created_at: Date;
  /** created_at to the microsecond, for the cursor. */
  created_key: string;
  retracted_at: Date | null;
};

export async function listPushPage({
  db,
  decision,
  after,
  limit,
}: {
  db: Queryable;
  decision?: string;
  after?: [string, string, string];
  limit: number;
}) {
  return db.execute<PushRow>(sql`
    select message_id, uid, channel_id, kind, decision, provider, created_at, ${exactTimestamp(sql`created_at`)} as created_key, retracted_at
      from push_notifications
     where true ${decision === "retracted" ? sql`and retracted_at is not null` : decision ? sql`and decision = ${decision}` : sql``}
           ${after ? sql`and (created_at, message_id, uid) < (${after[0]}::timestamptz, ${after[1]}, ${after[2]})` : sql``}
     order by created_at desc, message_id desc, uid desc limit ${limit + 1}`);
}

export async function listPresence({ db, limit }: { db: Queryable; limit: number }) {
  return db.execute<{ uid: string; device_flag: number; online: boolean; conn_id: string | null; device_online_count: number | null; total_online_count: number | null; updated_at: Date }>(sql`
    select uid, device_flag, online, conn_id, device_online_count, total_online_count, updated_at
      from presence order by online desc, updated_at desc limit ${limit}`);
}
