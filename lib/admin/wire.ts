// Shapes of the admin API's list items, shared by the services and the admin pages (no Node imports).

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
