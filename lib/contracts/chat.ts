// Wire shapes of the chat API and its Socket.IO events, shared by the server,
// the browser and the OpenAPI document (no Node imports). Each type is
// inferred from its zod schema, so the document cannot drift from the code.
import { z } from "zod";
import { CHANNEL_ROLES, SYSTEM_ROLES } from "./enums";

const channelRole = z.enum(CHANNEL_ROLES);
/** Message ids are int64 in decimal digits, never JS numbers (WuKongIM ids exceed 2^53). */
const messageId = z.string().meta({ description: "int64 as decimal digits", example: "1893749282737152" });
const isoTime = z.string().meta({ description: "ISO 8601 time", example: "2026-11-30T12:00:00.000Z" });

export const payloadSchema = z.looseObject({ type: z.number(), content: z.string().optional() }).meta({ id: "Payload" });
export type Payload = z.infer<typeof payloadSchema>;

export const wireMessageSchema = z
  .object({
    message_id: messageId,
    client_msg_no: z.string(),
    message_seq: z.number(),
    channel_id: z.string(),
    channel_type: z.number(),
    from_uid: z.string(),
    timestamp: z.number().meta({ description: "Seconds since the epoch" }),
    /** null once recalled (erased), unless the server keeps recalled content for admins. */
    payload: z.union([payloadSchema, z.null()]),
    revoked: z.boolean(),
    revoked_by: z.string().nullable(),
    revoked_at: isoTime.nullable(),
    revocable_until: isoTime.optional().meta({ description: "Own messages only: until when the sender may still recall it." }),
    can_recall: z.boolean().optional().meta({ description: "History pages: whether the viewer may recall it (the revoke's own rules)." }),
    recall_until: isoTime.optional().meta({ description: "…and until when, when that right is the sender's window." }),
    read_count: z.number().optional(),
    unread_count: z.number().optional(),
  })
  .meta({ id: "Message" });
export type WireMessage = z.infer<typeof wireMessageSchema>;

export const wireChannelSchema = z
  .object({
    channel_id: z.string(),
    channel_type: z.number(),
    name: z.string(),
    role: channelRole,
    unread_count: z.number(),
    last_read_seq: z.number(),
    last_message_seq: z.number(),
    receipts: z.boolean(),
    last_message: z.union([wireMessageSchema, z.null()]),
  })
  .meta({ id: "Channel" });
export type WireChannel = z.infer<typeof wireChannelSchema>;

export const revokeRecordSchema = z
  .object({ message_id: messageId, channel_id: z.string(), revoked_by: z.string(), revoked_at: isoTime })
  .meta({
    id: "RevokeRecord",
    example: { message_id: "1893749282737152", channel_id: "general", revoked_by: "alice", revoked_at: "2026-11-30T12:00:00.000Z" },
  });
export type RevokeRecord = z.infer<typeof revokeRecordSchema>;

export const revokeNoticeSchema = z.object({
  type: z.literal(1006),
  message_id: messageId,
  content: z.string(),
  extra: z.array(z.object({ uid: z.string(), name: z.string() })),
});
export type RevokeNotice = z.infer<typeof revokeNoticeSchema>;

export const messageRevokedEventSchema = revokeRecordSchema
  .extend({ channel_type: z.number(), message_seq: z.number(), notice: revokeNoticeSchema })
  .meta({ id: "MessageRevokedEvent" });
export type MessageRevokedEvent = z.infer<typeof messageRevokedEventSchema>;

export const receiptCountsSchema = z.object({
  message_id: messageId,
  message_seq: z.number(),
  read_count: z.number(),
  unread_count: z.number(),
});
export type ReceiptCounts = z.infer<typeof receiptCountsSchema>;

export const receiptsUpdateEventSchema = z
  .object({ channel_id: z.string(), items: z.array(receiptCountsSchema) })
  .meta({ id: "ReceiptsUpdateEvent" });
export type ReceiptsUpdateEvent = z.infer<typeof receiptsUpdateEventSchema>;

export const channelReadEventSchema = z
  .object({ channel_id: z.string(), uid: z.string(), last_read_seq: z.number() })
  .meta({ id: "ChannelReadEvent" });
export type ChannelReadEvent = z.infer<typeof channelReadEventSchema>;

export type AdminTopic = "revocations" | "webhooks" | "push" | "presence" | "users" | "receipts" | "messages";

export const channelUpdatedEventSchema = z
  .object({
    channel_id: z.string(),
    removed: z
      .object({ uids: z.array(z.string()), by: z.object({ uid: z.string(), name: z.string() }) })
      .optional()
      .meta({ description: "When members were removed by someone else: who, and by whom (they are told)." }),
  })
  .meta({ id: "ChannelUpdatedEvent" });
export type ChannelUpdatedEvent = z.infer<typeof channelUpdatedEventSchema>;

/** Sent to every socket of an account just before they are disconnected. */
export const sessionEndedEventSchema = z
  .object({ reason: z.enum(["account_disabled", "account_removed"]) })
  .meta({ id: "SessionEndedEvent" });
export type SessionEndedEvent = z.infer<typeof sessionEndedEventSchema>;

/** Why the server ended a socket's session for good. */
export type SessionEndReason = SessionEndedEvent["reason"];

export interface ServerToClientEvents {
  "message:new": (message: WireMessage) => void;
  "message:revoked": (event: MessageRevokedEvent) => void;
  "receipts:update": (event: ReceiptsUpdateEvent) => void;
  "channel:read": (event: ChannelReadEvent) => void;
  /** A channel changed (members, name, roles, settings): to its room and to the users who joined or left. */
  "channel:updated": (event: ChannelUpdatedEvent) => void;
  /** Sent to every socket of an account just before they are disconnected: the account was disabled, or is gone. */
  "session:ended": (event: SessionEndedEvent) => void;
  /** Admins only: data behind an admin page changed. */
  "admin:changed": (event: { topic: AdminTopic }) => void;
  /** Test mode only: the database was reset; the socket is closed right after (reload). */
  "test:reset": (event: Record<string, never>) => void;
  /** Test mode only: the server's clock moved; `now_ms` is its time now. */
  "test:clock": (event: { now_ms: number; offset_ms: number }) => void;
}

export type ReadAck = { ok: true; channel_id: string; last_read_seq: number } | { ok: false; error: { code: string; message: string } };

export interface ClientToServerEvents {
  read: (input: { channel_id: string; message_seq: number }, ack: (result: ReadAck) => void) => void;
}

export const REVOKE_NOTICE_TEMPLATE = "{0} recalled a message";

/** GET /api/channels/{id}/messages */
export const historyPageSchema = z
  .object({
    messages: z.array(wireMessageSchema),
    more: z.boolean(),
    version: z.string().meta({ description: "The change feed's version read before the page: /changes?since=version misses nothing." }),
  })
  .meta({ id: "HistoryPage" });
export type HistoryPage = z.infer<typeof historyPageSchema>;

/** POST /api/channels/{id}/messages */
export const sendAnswerSchema = z
  .object({
    message: wireMessageSchema,
    pending: z.boolean().optional().meta({ description: "202 only: WuKongIM has it; it is stored when its webhook comes back." }),
  })
  .meta({ id: "SendAnswer" });

/** GET /api/channels/{id}/changes?since= */
export const changesPageSchema = z
  .object({
    changes: z.array(
      z.object({
        type: z.literal("message:revoked"),
        message_id: messageId,
        message_seq: z.number(),
        revoked_by: z.string(),
        revoked_at: isoTime,
        version: z.string(),
      }),
    ),
    version: z.string(),
    more: z.boolean(),
    last_read_seq: z.number().meta({ description: "The caller's read cursor now (another device may have moved it)." }),
  })
  .meta({ id: "ChangesPage" });
export type ChangesPage = z.infer<typeof changesPageSchema>;

/** GET /api/channels/{id}/members */
export const memberItemSchema = z
  .object({
    uid: z.string(),
    name: z.string(),
    role: channelRole,
    last_read_seq: z
      .number()
      .optional()
      .meta({ description: "The caller's own; everyone's for the channel's owner, admins and system admins." }),
  })
  .meta({ id: "Member" });
export type MemberItem = z.infer<typeof memberItemSchema>;

/** GET /api/messages/{id}/receipts: counts and lists, for those who may see who read (docs/api.md). */
export const receiptsAnswerSchema = z
  .object({
    message_id: messageId,
    read_count: z.number(),
    unread_count: z.number(),
    read: z.array(z.object({ uid: z.string(), name: z.string(), read_at: isoTime.nullable() })),
    unread: z.array(z.object({ uid: z.string(), name: z.string() })),
  })
  .meta({ id: "Receipts" });
export type ReceiptsAnswer = z.infer<typeof receiptsAnswerSchema>;

/** GET /api/users */
export const directoryUserSchema = z.object({ uid: z.string(), name: z.string() }).meta({ id: "DirectoryUser" });
export type DirectoryUser = z.infer<typeof directoryUserSchema>;

/** POST /api/channels/{id}/read */
export const readCursorSchema = z.object({ channel_id: z.string(), last_read_seq: z.number() }).meta({ id: "ReadCursor" });

// Answers of the channel and member routes.
export const createdGroupSchema = z.object({
  channel_id: z.string(),
  channel_type: z.literal(2),
  name: z.string(),
  members: z.array(z.string()),
});
export const directChannelAnswerSchema = z.object({ channel_id: z.string(), channel_type: z.number(), name: z.string() });
export const renamedSchema = z.object({ channel_id: z.string(), name: z.string() });
export const settingsAnswerSchema = z.object({ channel_id: z.string(), receipts: z.boolean() });
export const membersAddedSchema = z.object({ channel_id: z.string(), added: z.array(z.string()), members: z.array(z.string()) });
export const memberRemovedSchema = z.object({ channel_id: z.string(), removed: z.string() });
export const memberRoleAnswerSchema = z.object({ channel_id: z.string(), uid: z.string(), role: channelRole });

/** POST /api/auth/token */
export const tokenAnswerSchema = z
  .object({ token: z.string(), user: z.object({ uid: z.string(), name: z.string(), role: z.enum(SYSTEM_ROLES) }) })
  .meta({ id: "TokenAnswer" });

/** GET /api/health */
export const healthSchema = z.object({ status: z.enum(["ok", "error"]), problems: z.array(z.string()).optional() }).meta({ id: "Health" });
