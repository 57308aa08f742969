// Wire shapes of docs/api.md, shared by the server and the browser (no Node imports).
import type { ChannelRole } from "./enums";

export type Payload = { type: number; content?: string; [key: string]: unknown };

export interface WireMessage {
  message_id: string;
  client_msg_no: string;
  message_seq: number;
  channel_id: string;
  channel_type: number;
  from_uid: string;
  timestamp: number;
  payload: Payload | null;
  revoked: boolean;
  revoked_by: string | null;
  revoked_at: string | null;
  /** Own messages only: until when the sender may still recall it. */
  revocable_until?: string;
  /** History pages: whether the viewer may recall it (the revoke's own rules)… */
  can_recall?: boolean;
  /** …and until when, when that right is the sender's window. */
  recall_until?: string;
  read_count?: number;
  unread_count?: number;
}

export interface WireChannel {
  channel_id: string;
  channel_type: number;
  name: string;
  role: ChannelRole;
  unread_count: number;
  last_read_seq: number;
  last_message_seq: number;
  receipts: boolean;
  last_message: WireMessage | null;
}

export interface RevokeRecord {
  message_id: string;
  channel_id: string;
  revoked_by: string;
  revoked_at: string;
}

export interface RevokeNotice {
  type: 1006;
  message_id: string;
  content: string;
  extra: { uid: string; name: string }[];
}

export interface MessageRevokedEvent extends RevokeRecord {
  channel_type: number;
  message_seq: number;
  notice: RevokeNotice;
}

export interface ReceiptCounts {
  message_id: string;
  message_seq: number;
  read_count: number;
  unread_count: number;
}

export interface ReceiptsUpdateEvent {
  channel_id: string;
  items: ReceiptCounts[];
}

export interface ChannelReadEvent {
  channel_id: string;
  uid: string;
  last_read_seq: number;
}

export interface ChannelUpdatedEvent {
  channel_id: string;
  /** When members were removed by someone else: who, and by whom (they are told). */
  removed?: { uids: string[]; by: { uid: string; name: string } };
}

/** Why the server ended a socket's session for good. */
export type SessionEndReason = "account_disabled" | "account_removed";

export interface ServerToClientEvents {
  "message:new": (message: WireMessage) => void;
  "message:revoked": (event: MessageRevokedEvent) => void;
  "receipts:update": (event: ReceiptsUpdateEvent) => void;
  "channel:read": (event: ChannelReadEvent) => void;
  /** A channel changed (members, name, roles, settings): to its room and to the users who joined or left. */
  "channel:updated": (event: ChannelUpdatedEvent) => void;
  /** Sent to every socket of an account just before they are disconnected: the account was disabled, or is gone. */
  "session:ended": (event: { reason: SessionEndReason }) => void;
  /** Admins only: data behind an admin page changed. */
  "admin:changed": (event: { topic: AdminTopic }) => void;
}

export type ReadAck = { ok: true; channel_id: string; last_read_seq: number } | { ok: false; error: { code: string; message: string } };

export interface ClientToServerEvents {
  read: (input: { channel_id: string; message_seq: number }, ack: (result: ReadAck) => void) => void;
}

export type AdminTopic = "revocations" | "webhooks" | "push" | "presence" | "users" | "receipts" | "messages";

export const REVOKE_NOTICE_TEMPLATE = "{0} recalled a message";

/** GET /api/channels/{id}/messages */
export interface HistoryPage {
  messages: WireMessage[];
  more: boolean;
  /** The change feed's version read before the page: /changes?since=version misses nothing. */
  version: string;
}

/** GET /api/channels/{id}/changes?since= */
export interface ChangesPage {
  changes: { type: "message:revoked"; message_id: string; message_seq: number; revoked_by: string; revoked_at: string; version: string }[];
  version: string;
  more: boolean;
  /** The caller's read cursor now (another device may have moved it). */
  last_read_seq: number;
}

/** GET /api/channels/{id}/members */
export interface MemberItem {
  uid: string;
  name: string;
  role: ChannelRole;
  /** The caller's own; everyone's for the channel's owner, admins and system admins. */
  last_read_seq?: number;
}

/** GET /api/messages/{id}/receipts: the lists only for those allowed to see them. */
export interface ReceiptsAnswer {
  message_id: string;
  read_count: number;
  unread_count: number;
  read: { uid: string; name: string; read_at: string | null }[];
  unread: { uid: string; name: string }[];
}

/** GET /api/users */
export interface DirectoryUser {
  uid: string;
  name: string;
}
