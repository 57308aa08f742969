// Shapes of the admin API's list items, shared by the services and the admin pages (no Node imports).
import type { RevokeRule, SystemRole } from "./enums";

export interface WebhookEventItem {
  id: string;
  event: string;
  status: string;
  received_at: string;
  error: string | null;
  body_bytes: number;
  items_total: number;
  items_accepted: number;
  items_duplicate: number;
  items_rejected: number;
  chat_count: number;
  cmd_count: number;
  replay_of: string | null;
}

export interface PushItem {
  message_id: string;
  uid: string;
  channel_id: string;
  kind: string;
  decision: string;
  provider: string;
  created_at: string;
  retracted_at: string | null;
}

export interface RevocationItem {
  message_id: string;
  channel_id: string;
  sender_uid: string;
  revoked_by: string;
  rule: RevokeRule;
  reason: string | null;
  sent_at: string;
  revoked_at: string;
  seconds_between: number;
}

export interface RevocationDetail extends RevocationItem {
  /** The content as it was, for admins; null when erased at revoke time. */
  original_payload: Record<string, unknown> | null;
}

export interface UserItem {
  uid: string;
  name: string;
  role: SystemRole;
  disabled: boolean;
  disabled_at: string | null;
  created_at: string;
  can_sign_in: boolean;
}

export interface PresenceItem {
  uid: string;
  device: string;
  device_flag: number;
  online: boolean;
  conn_id: string | null;
  device_online_count: number | null;
  total_online_count: number | null;
  updated_at: string;
}

export interface Overview {
  totals: { users: number; channels: number; messages: number; revokes: number; online_devices: number };
  activity: { hour: string; messages: number; revokes: number; reads: number; deliveries: number }[];
}

export interface ReceiptsChannelStat {
  channel_id: string;
  name: string;
  channel_type: number;
  members: number;
  messages: number;
  receipts: boolean;
  read_rate: number | null;
}

export interface ReceiptsChannelDetail {
  channel_id: string;
  name: string;
  receipts: boolean;
  messages: number;
  read_rate: number | null;
  time_to_read: { pairs: number; median_seconds: number | null; p90_seconds: number | null; distribution: { bucket: string; count: number }[] };
  most_unread: { uid: string; name: string; unread: number }[];
  recent_messages: { message_id: string; message_seq: number; from_uid: string; sent_at: string; read_count: number; unread_count: number }[];
}

export interface HealthReport {
  status: "ok" | "degraded";
  problems: string[];
  database: { mode: "embedded" | "external"; version: string; migrations_applied: number; migrations_expected: number };
  webhook: { url: string; wukongim_config: string; last_delivery: { event: string; at: string; status: string }[] };
  gateway: { mode: string; url?: string; reachable?: boolean; error?: string };
  outbox: { pending: number; oldest_pending_at: string | null };
  realtime: { sockets: number };
  memory: { rss_mb: number; heap_used_mb: number };
  config: { revoke_window_seconds: number; receipt_flush_ms: number; revoke_retain_content: boolean };
}

/** Every cursor-paginated admin list answers this. */
export interface AdminPage<T> {
  items: T[];
  next_cursor: string | null;
}
