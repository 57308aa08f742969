import type { MessageWithRevoke } from "@/lib/db/queries/messages";
import type { Payload, WireMessage } from "@/lib/contracts/chat";

export interface WireOptions {
  viewerUid?: string;
  revokeWindowSeconds: number;
  counts?: { read_count: number; unread_count: number };
}

/** A stored row as clients see it: a revoked message keeps its metadata and never its content. */
export function toWireMessage(row: MessageWithRevoke, opts: WireOptions): WireMessage {
  const revoked = row.revoked_by !== null;
  const sentAt = new Date(row.sent_at);
  const wire: WireMessage = {
    message_id: row.message_id,
    client_msg_no: row.client_msg_no,
    message_seq: row.message_seq,
    channel_id: row.channel_id,
    channel_type: row.channel_type,
    from_uid: row.from_uid,
    timestamp: Math.floor(sentAt.getTime() / 1000),
    payload: revoked ? null : (row.payload as Payload | null),
    revoked,
    revoked_by: row.revoked_by,
    revoked_at: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
  };
  if (!revoked && (opts.viewerUid === undefined || opts.viewerUid === row.from_uid)) {
    wire.revocable_until = new Date(sentAt.getTime() + opts.revokeWindowSeconds * 1000).toISOString();
  }
  if (opts.counts) Object.assign(wire, opts.counts);
  return wire;
}
