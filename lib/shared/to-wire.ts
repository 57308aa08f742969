import type { Payload, WireMessage } from "@/lib/contracts/chat";
import type { MessageWithRevoke } from "@/lib/db/queries/messages";

export interface WireOptions {
  viewerUid?: string;
  revokeWindowSeconds: number;
  counts?: { read_count: number; unread_count: number };
}

/** A stored row as clients see it: a revoked message keeps its metadata and never its content. */
export function toWireMessage(row: MessageWithRevoke, opts: WireOptions): WireMessage {
  const revoked = row.revokedBy !== null;
  const sentAt = new Date(row.sentAt);
  const wire: WireMessage = {
    message_id: row.messageId,
    client_msg_no: row.clientMsgNo,
    message_seq: row.messageSeq,
    channel_id: row.channelId,
    channel_type: row.channelType,
    from_uid: row.fromUid,
    timestamp: Math.floor(sentAt.getTime() / 1000),
    payload: revoked ? null : (row.payload as Payload | null),
    revoked,
    revoked_by: row.revokedBy,
    revoked_at: row.revokedAt ? new Date(row.revokedAt).toISOString() : null,
  };
  if (!revoked && (opts.viewerUid === undefined || opts.viewerUid === row.fromUid)) {
    wire.revocable_until = new Date(sentAt.getTime() + opts.revokeWindowSeconds * 1000).toISOString();
  }
  if (opts.counts) Object.assign(wire, opts.counts);
  return wire;
}
