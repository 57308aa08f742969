import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import {
  CHANNEL_ROLES,
  IM_MESSAGE_KINDS,
  MESSAGE_SOURCES,
  OUTBOX_DESTINATIONS,
  PUSH_DECISIONS,
  REVOKE_RULES,
  SYSTEM_ROLES,
  WEBHOOK_STATUSES,
} from "../contracts/enums";

// Per-channel tables lead their primary and unique keys with channel_id so the
// schema can be distributed by channel (Citus) without a rewrite.

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

export const users = pgTable("users", {
  uid: text().primaryKey(),
  name: text().notNull(),
  passwordHash: text().notNull(),
  role: text({ enum: SYSTEM_ROLES }).notNull().default("user"),
  disabledAt: timestamp({ withTimezone: true }),
  createdAt: createdAt(),
});

export const channels = pgTable(
  "channels",
  {
    channelId: text().primaryKey(),
    channelType: smallint().notNull(),
    name: text().notNull(),
    receiptsEnabled: boolean().notNull().default(true),
    // Seq allocator: bumped under the row lock in the same transaction as the
    // insert, so seqs are gapless and unique under concurrent sends.
    lastMessageSeq: bigint({ mode: "number" }).notNull().default(0),
    // Version of the channel's change feed (revokes); bumped under the same row
    // lock, so versions become visible in commit order.
    changeVersion: bigint({ mode: "number" }).notNull().default(0),
    createdBy: text().references(() => users.uid),
    createdAt: createdAt(),
  },
  (t) => [check("channels_type_check", sql`${t.channelType} between 1 and 255`)],
);

export const channelMembers = pgTable(
  "channel_members",
  {
    channelId: text()
      .notNull()
      .references(() => channels.channelId),
    uid: text()
      .notNull()
      .references(() => users.uid),
    role: text({ enum: CHANNEL_ROLES }).notNull().default("member"),
    // Join position: the channel's last seq when the member joined. A member
    // counts for receipts only on messages with a higher seq.
    joinedSeq: bigint({ mode: "number" }).notNull(),
    // Seq of the channel when the member left; null while a member.
    leftSeq: bigint({ mode: "number" }),
    // The read cursor (last_ack_msgid in docs/background.md § 3): everything up to it is read.
    lastReadSeq: bigint({ mode: "number" }).notNull(),
    lastReadAt: timestamp({ withTimezone: true }),
    joinedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.uid] }), index("channel_members_uid_idx").on(t.uid)],
);

/**
 * Earlier membership intervals of a (channel, uid), closed and superseded by a
 * rejoin. The latest interval, open or closed, is the channel_members row;
 * together they are the member's whole history, so a rejoin never rewrites
 * who was in a message's audience or who read it. An interval covers the
 * messages with joined_seq < seq <= left_seq; read_seq is how far its reader
 * got (a read is a fact that stays), read_at when it last moved. Only
 * intervals that cover at least one message are kept.
 */
export const channelMemberIntervals = pgTable(
  "channel_member_intervals",
  {
    channelId: text()
      .notNull()
      .references(() => channels.channelId),
    uid: text()
      .notNull()
      .references(() => users.uid),
    joinedSeq: bigint({ mode: "number" }).notNull(),
    leftSeq: bigint({ mode: "number" }).notNull(),
    readSeq: bigint({ mode: "number" }).notNull(),
    readAt: timestamp({ withTimezone: true }),
    joinedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.uid, t.joinedSeq] }),
    index("channel_member_intervals_uid_idx").on(t.uid),
    check(
      "channel_member_intervals_span_check",
      sql`${t.leftSeq} > ${t.joinedSeq} and ${t.readSeq} between ${t.joinedSeq} and ${t.leftSeq}`,
    ),
  ],
);

export const messages = pgTable(
  "messages",
  {
    channelId: text()
      .notNull()
      .references(() => channels.channelId),
    messageSeq: bigint({ mode: "number" }).notNull(),
    // int64 ids (ours snowflake, WuKongIM's beyond 2^53) kept as decimal text:
    // they never pass through a JS number.
    messageId: text().notNull(),
    clientMsgNo: text().notNull(),
    fromUid: text().notNull(),
    channelType: smallint().notNull(),
    sentAt: timestamp({ withTimezone: true }).notNull(),
    // null once erased by a revoke with REVOKE_RETAIN_CONTENT=false.
    payload: jsonb().$type<Record<string, unknown>>(),
    source: text({ enum: MESSAGE_SOURCES }).notNull().default("local"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.messageSeq] }),
    // Idempotent sends for our own messages; a WuKongIM message's identity is its message_id
    // (v2 may reuse a client_msg_no for a new message), so its client_msg_no is only looked up.
    uniqueIndex("messages_client_msg_no_uq").on(t.channelId, t.fromUid, t.clientMsgNo).where(sql`${t.source} = 'local'`),
    index("messages_im_client_msg_no_idx").on(t.channelId, t.fromUid, t.clientMsgNo).where(sql`${t.source} = 'wukongim'`),
    uniqueIndex("messages_message_id_uq").on(t.channelId, t.messageId),
    index("messages_message_id_idx").on(t.messageId),
    index("messages_from_uid_idx").on(t.fromUid),
    check("messages_message_id_check", sql`${t.messageId} ~ '^[0-9]{1,20}$'`),
  ],
);

export const revocations = pgTable(
  "revocations",
  {
    channelId: text().notNull(),
    messageSeq: bigint({ mode: "number" }).notNull(),
    messageId: text().notNull(),
    senderUid: text().notNull(),
    revokedBy: text()
      .notNull()
      .references(() => users.uid),
    rule: text({ enum: REVOKE_RULES }).notNull(),
    reason: text(),
    sentAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    // Position in the channel's change feed (channels.change_version).
    version: bigint({ mode: "number" }).notNull(),
  },
  (t) => [
    // One record per message, however often or concurrently it is revoked.
    primaryKey({ columns: [t.channelId, t.messageSeq] }),
    uniqueIndex("revocations_version_uq").on(t.channelId, t.version),
    index("revocations_revoked_at_idx").on(t.revokedAt),
    index("revocations_message_id_idx").on(t.messageId),
    index("revocations_revoked_by_idx").on(t.revokedBy),
  ],
);

export const readEvents = pgTable(
  "read_events",
  {
    channelId: text().notNull(),
    id: bigserial({ mode: "number" }).notNull(),
    uid: text().notNull(),
    fromSeq: bigint({ mode: "number" }).notNull(),
    toSeq: bigint({ mode: "number" }).notNull(),
    readAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.id] }),
    index("read_events_reader_idx").on(t.channelId, t.uid, t.toSeq),
    index("read_events_read_at_idx").on(t.readAt),
  ],
);

export const outbox = pgTable(
  "outbox",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    destination: text({ enum: OUTBOX_DESTINATIONS }).notNull(),
    topic: text().notNull(),
    channelId: text(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp({ withTimezone: true }),
    lastError: text(),
    createdAt: createdAt(),
  },
  (t) => [index("outbox_pending_idx").on(t.nextAttemptAt).where(sql`${t.deliveredAt} is null`)],
);

export type User = typeof users.$inferSelect;
export type Channel = typeof channels.$inferSelect;
export type Revocation = typeof revocations.$inferSelect;

// ── WuKongIM integration ─────────────────────────────────────────────────

/** Every webhook delivery, recorded before it is answered. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    event: text().notNull(),
    receivedAt: createdAt(),
    status: text({ enum: WEBHOOK_STATUSES }).notNull(),
    error: text(),
    // The raw body, capped; replay needs it whole (bodyTruncated = false).
    body: text().notNull(),
    bodyBytes: integer().notNull(),
    bodyTruncated: boolean().notNull().default(false),
    itemsTotal: integer().notNull().default(0),
    itemsAccepted: integer().notNull().default(0),
    itemsDuplicate: integer().notNull().default(0),
    itemsRejected: integer().notNull().default(0),
    chatCount: integer().notNull().default(0),
    cmdCount: integer().notNull().default(0),
    replayOf: bigint({ mode: "number" }),
  },
  (t) => [index("webhook_events_received_at_idx").on(t.receivedAt), index("webhook_events_event_idx").on(t.event, t.receivedAt)],
);

/** Each WuKongIM message seen once, whatever its kind: the idempotency record of msg.notify. */
export const imMessages = pgTable(
  "im_messages",
  {
    messageId: text().primaryKey(),
    kind: text({ enum: IM_MESSAGE_KINDS }).notNull(),
    channelId: text().notNull(),
    channelType: smallint().notNull(),
    fromUid: text().notNull(),
    messageSeq: bigint({ mode: "number" }).notNull(),
    payload: jsonb().$type<Record<string, unknown>>(),
    firstEventId: bigint({ mode: "number" }),
    receivedAt: createdAt(),
  },
  (t) => [index("im_messages_received_at_idx").on(t.receivedAt)],
);

/** Offline-push decisions from msg.offline: one per (message, uid). */
export const pushNotifications = pgTable(
  "push_notifications",
  {
    messageId: text().notNull(),
    uid: text().notNull(),
    channelId: text().notNull(),
    kind: text({ enum: ["chat", "cmd"] }).notNull(),
    decision: text({ enum: PUSH_DECISIONS }).notNull(),
    provider: text().notNull(),
    createdAt: createdAt(),
    // Set when the message is recalled after it was pushed: the retraction record.
    retractedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.uid] }), index("push_notifications_created_at_idx").on(t.createdAt)],
);

/** Devices online per user, from user.onlinestatus. */
export const presence = pgTable(
  "presence",
  {
    uid: text().notNull(),
    deviceFlag: smallint().notNull(),
    online: boolean().notNull(),
    connId: text(),
    deviceOnlineCount: integer(),
    totalOnlineCount: integer(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.uid, t.deviceFlag] })],
);

export type WebhookEvent = typeof webhookEvents.$inferSelect;

/** Cluster-wide pacing of receipts:update: one flush per channel per RECEIPT_FLUSH_MS, whichever instance holds the reads. */
export const receiptFlushLeases = pgTable("receipt_flush_leases", {
  channelId: text().primaryKey(),
  flushedAt: timestamp({ withTimezone: true }).notNull(),
});
