import { sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { exactTimestamp } from "./fragments";

export type WebhookEventRow = {
  id: number;
  event: string;
  status: string;
  receivedAt: Date;
  error: string | null;
  bodyBytes: number;
  bodyTruncated: boolean;
  itemsTotal: number;
  itemsAccepted: number;
  itemsDuplicate: number;
  itemsRejected: number;
  chatCount: number;
  cmdCount: number;
  replayOf: string | null;
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
  return db.execute<{ event: string; lastAt: Date; lastStatus: string }>(sql`
    select distinct on (event) event, received_at as last_at, status as last_status
      from webhook_events where event <> '' order by event, received_at desc`);
}

export type PushRow = {
  messageId: string;
  uid: string;
  channelId: string;
  kind: string;
  decision: string;
  provider: string;
  createdAt: Date;
  /** created_at to the microsecond, for the cursor. */
  createdKey: string;
  retractedAt: Date | null;
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
  return db.execute<{
    uid: string;
    deviceFlag: number;
    online: boolean;
    connId: string | null;
    deviceOnlineCount: number | null;
    totalOnlineCount: number | null;
    updatedAt: Date;
  }>(sql`
    select uid, device_flag, online, conn_id, device_online_count, total_online_count, updated_at
      from presence order by online desc, updated_at desc limit ${limit}`);
}
