import { z } from "zod";
import type { AdminPage, PresenceItem, PushItem, WebhookEventItem } from "@/lib/contracts/admin";
import { PUSH_DECISIONS, WEBHOOK_EVENTS, WEBHOOK_STATUSES } from "@/lib/contracts/enums";
import { lastDeliveryPerEvent, listPresence, listPushPage, listWebhookEventsPage, webhookCountsByHour } from "@/lib/db/queries/admin-logs";
import { getWebhookEvent } from "@/lib/db/queries/webhook-events";
import { ApiError } from "@/lib/errors";
import type { Deps } from "@/lib/shared/context";
import { cursorPart, decodeCursor, keysetPage } from "./cursor";

export const webhookEventsQuerySchema = z.object({
  event: z.enum(WEBHOOK_EVENTS).optional(),
  status: z.enum(WEBHOOK_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function listWebhookEvents(
  ctx: Deps<"db">,
  q: z.infer<typeof webhookEventsQuerySchema>,
): Promise<AdminPage<WebhookEventItem>> {
  const after = decodeCursor(q.cursor, [cursorPart.int]);
  const rows = await listWebhookEventsPage({ db: ctx.db(), event: q.event, status: q.status, beforeId: after?.[0], limit: q.limit });
  const { page, next_cursor } = keysetPage(rows, q.limit, (last) => [last.id]);
  return {
    items: page.map(
      (r): WebhookEventItem => ({
        id: String(r.id),
        event: r.event,
        status: r.status,
        received_at: new Date(r.receivedAt).toISOString(),
        error: r.error,
        body_bytes: r.bodyBytes,
        items_total: r.itemsTotal,
        items_accepted: r.itemsAccepted,
        items_duplicate: r.itemsDuplicate,
        items_rejected: r.itemsRejected,
        chat_count: r.chatCount,
        cmd_count: r.cmdCount,
        replay_of: r.replayOf === null ? null : String(r.replayOf),
      }),
    ),
    next_cursor,
  };
}

export async function getWebhookEventDetail(ctx: Deps<"db">, id: number) {
  const e = await getWebhookEvent({ db: ctx.db(), id });
  if (!e) throw new ApiError("not_found", `No webhook delivery ${id}.`);
  return {
    id: String(e.id),
    event: e.event,
    status: e.status,
    received_at: e.receivedAt.toISOString(),
    error: e.error,
    body: e.body,
    body_truncated: e.bodyTruncated,
  };
}

export async function webhookStats(ctx: Deps<"db">) {
  const [byHour, last] = await Promise.all([webhookCountsByHour({ db: ctx.db(), hours: 24 }), lastDeliveryPerEvent({ db: ctx.db() })]);
  return {
    by_hour: byHour.map((r) => ({
      hour: new Date(r.hour).toISOString(),
      event: r.event,
      status: r.status,
      count: r.n,
      chat: r.chat,
      cmd: r.cmd,
    })),
    last_delivery: last.map((r) => ({ event: r.event, at: new Date(r.lastAt).toISOString(), status: r.lastStatus })),
  };
}

export const pushQuerySchema = z.object({
  decision: z.enum([...PUSH_DECISIONS, "retracted"]).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function listPush(ctx: Deps<"db">, q: z.infer<typeof pushQuerySchema>): Promise<AdminPage<PushItem>> {
  const after = decodeCursor(q.cursor, [cursorPart.timestamp, cursorPart.text, cursorPart.text]);
  const rows = await listPushPage({ db: ctx.db(), decision: q.decision, after, limit: q.limit });
  const { page, next_cursor } = keysetPage(rows, q.limit, (last) => [last.createdKey, last.messageId, last.uid]);
  return {
    items: page.map(
      (r): PushItem => ({
        message_id: r.messageId,
        uid: r.uid,
        channel_id: r.channelId,
        kind: r.kind,
        decision: r.decision,
        provider: r.provider,
        created_at: new Date(r.createdAt).toISOString(),
        retracted_at: r.retractedAt ? new Date(r.retractedAt).toISOString() : null,
      }),
    ),
    next_cursor,
  };
}

export async function presenceList(ctx: Deps<"db">): Promise<AdminPage<PresenceItem>> {
  const rows = await listPresence({ db: ctx.db(), limit: 500 });
  return {
    items: rows.map((r) => ({
      uid: r.uid,
      device_flag: r.deviceFlag,
      device: ["app", "web", "pc"][r.deviceFlag] ?? `flag ${r.deviceFlag}`,
      online: r.online,
      conn_id: r.connId,
      device_online_count: r.deviceOnlineCount,
      total_online_count: r.totalOnlineCount,
      updated_at: new Date(r.updatedAt).toISOString(),
    })),
    next_cursor: null,
  };
}
