// Shapes of the admin API's answers, shared by the services, the admin pages
// and the OpenAPI document (no Node imports): each type is its schema's z.infer.
import { z } from "zod";
import { REVOKE_RULES, SYSTEM_ROLES, WEBHOOK_EVENTS, WEBHOOK_STATUSES } from "./enums";

const isoTime = z.string().meta({ description: "ISO 8601 time" });

/** Every cursor-paginated admin list answers this. */
export const adminPageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next_cursor: z.string().nullable() });
export interface AdminPage<T> {
  items: T[];
  next_cursor: string | null;
}

export const webhookEventItemSchema = z
  .object({
    id: z.string(),
    event: z.string(),
    status: z.string(),
    received_at: isoTime,
    error: z.string().nullable(),
    body_bytes: z.number(),
    items_total: z.number(),
    items_accepted: z.number(),
    items_duplicate: z.number(),
    items_rejected: z.number(),
    chat_count: z.number(),
    cmd_count: z.number(),
    replay_of: z.string().nullable(),
  })
  .meta({ id: "WebhookEvent" });
export type WebhookEventItem = z.infer<typeof webhookEventItemSchema>;

export const webhookEventDetailSchema = z.object({
  id: z.string(),
  event: z.string(),
  status: z.string(),
  received_at: isoTime,
  error: z.string().nullable(),
  body: z.string(),
  body_truncated: z.boolean(),
});

export const webhookStatsSchema = z.object({
  by_hour: z.array(
    z.object({ hour: isoTime, event: z.string(), status: z.string(), count: z.number(), chat: z.number(), cmd: z.number() }),
  ),
  last_delivery: z.array(z.object({ event: z.string(), at: isoTime, status: z.string() })),
});

/** What became of one webhook delivery (or its replay). */
export const deliveryAnswerSchema = z
  .object({ status: z.enum(WEBHOOK_STATUSES), event_id: z.string(), accepted: z.number(), duplicate: z.number(), rejected: z.number() })
  .meta({ id: "DeliveryAnswer", example: { status: "accepted", event_id: "42", accepted: 1, duplicate: 0, rejected: 0 } });
export type DeliveryAnswer = z.infer<typeof deliveryAnswerSchema>;

export const pushItemSchema = z
  .object({
    message_id: z.string(),
    uid: z.string(),
    channel_id: z.string(),
    kind: z.string(),
    decision: z.string(),
    provider: z.string(),
    created_at: isoTime,
    retracted_at: isoTime.nullable(),
  })
  .meta({ id: "PushDecision" });
export type PushItem = z.infer<typeof pushItemSchema>;

export const revocationItemSchema = z
  .object({
    message_id: z.string(),
    channel_id: z.string(),
    sender_uid: z.string(),
    revoked_by: z.string(),
    rule: z.enum(REVOKE_RULES),
    reason: z.string().nullable(),
    sent_at: isoTime,
    revoked_at: isoTime,
    seconds_between: z.number(),
  })
  .meta({ id: "Revocation" });
export type RevocationItem = z.infer<typeof revocationItemSchema>;

export const revocationDetailSchema = revocationItemSchema
  .extend({
    original_payload: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: "The content as it was, for admins; null when erased at revoke time." }),
  })
  .meta({ id: "RevocationDetail" });
export type RevocationDetail = z.infer<typeof revocationDetailSchema>;

export const userItemSchema = z
  .object({
    uid: z.string(),
    name: z.string(),
    role: z.enum(SYSTEM_ROLES),
    disabled: z.boolean(),
    disabled_at: isoTime.nullable(),
    created_at: isoTime,
    can_sign_in: z.boolean(),
  })
  .meta({ id: "User" });
export type UserItem = z.infer<typeof userItemSchema>;

export const presenceItemSchema = z
  .object({
    uid: z.string(),
    device: z.string(),
    device_flag: z.number(),
    online: z.boolean(),
    conn_id: z.string().nullable(),
    device_online_count: z.number().nullable(),
    total_online_count: z.number().nullable(),
    updated_at: isoTime,
  })
  .meta({ id: "Presence" });
export type PresenceItem = z.infer<typeof presenceItemSchema>;

export const overviewSchema = z
  .object({
    totals: z.object({ users: z.number(), channels: z.number(), messages: z.number(), revokes: z.number(), online_devices: z.number() }),
    activity: z.array(z.object({ hour: isoTime, messages: z.number(), revokes: z.number(), reads: z.number(), deliveries: z.number() })),
  })
  .meta({ id: "Overview" });
export type Overview = z.infer<typeof overviewSchema>;

export const receiptsChannelStatSchema = z
  .object({
    channel_id: z.string(),
    name: z.string(),
    channel_type: z.number(),
    members: z.number(),
    messages: z.number(),
    receipts: z.boolean(),
    read_rate: z.number().nullable(),
  })
  .meta({ id: "ReceiptsChannelStat" });
export type ReceiptsChannelStat = z.infer<typeof receiptsChannelStatSchema>;

export const receiptsChannelDetailSchema = z
  .object({
    channel_id: z.string(),
    name: z.string(),
    receipts: z.boolean(),
    messages: z.number(),
    read_rate: z.number().nullable(),
    time_to_read: z.object({
      pairs: z.number(),
      median_seconds: z.number().nullable(),
      p90_seconds: z.number().nullable(),
      distribution: z.array(z.object({ bucket: z.string(), count: z.number() })),
    }),
    most_unread: z.array(z.object({ uid: z.string(), name: z.string(), unread: z.number() })),
    recent_messages: z.array(
      z.object({
        message_id: z.string(),
        message_seq: z.number(),
        from_uid: z.string(),
        sent_at: isoTime,
        read_count: z.number(),
        unread_count: z.number(),
      }),
    ),
  })
  .meta({ id: "ReceiptsChannelDetail" });
export type ReceiptsChannelDetail = z.infer<typeof receiptsChannelDetailSchema>;

export const healthReportSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    problems: z.array(z.string()),
    database: z.object({
      mode: z.enum(["embedded", "external"]),
      version: z.string(),
      migrations_applied: z.number(),
      migrations_expected: z.number(),
    }),
    webhook: z.object({
      url: z.string(),
      wukongim_config: z.string(),
      last_delivery: z.array(z.object({ event: z.string(), at: isoTime, status: z.string() })),
    }),
    gateway: z.object({ mode: z.string(), url: z.string().optional(), reachable: z.boolean().optional(), error: z.string().optional() }),
    outbox: z.object({ pending: z.number(), oldest_pending_at: isoTime.nullable() }),
    realtime: z.object({ sockets: z.number() }),
    memory: z.object({ rss_mb: z.number(), heap_used_mb: z.number() }),
    config: z.object({ revoke_window_seconds: z.number(), receipt_flush_ms: z.number(), revoke_retain_content: z.boolean() }),
  })
  .meta({ id: "HealthReport" });
export type HealthReport = z.infer<typeof healthReportSchema>;

/** The webhook events WuKongIM may send, for the document's enum. */
export const webhookEventNameSchema = z.enum(WEBHOOK_EVENTS);
