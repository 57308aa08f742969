import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { mayListReads, requireMember } from "@/lib/chat/access";
import { db } from "@/lib/db/client";
import { getChannel, getMembership } from "@/lib/db/queries/channels";
import { getMergedMessageById } from "@/lib/db/queries/messages";
import { countReceipts, listReaders } from "@/lib/db/queries/receipts";
import { ApiError } from "@/lib/errors";
import { rateLimit } from "@/lib/security/rate-limit";
import { readBatcher } from "./read-batcher";
import type { ReceiptsAnswer } from "@/lib/contracts/chat";

export const readSchema = z.object({
  message_seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/**
 * Moves the caller's read cursor forward (never back, never past the latest
 * message). The write is merged with concurrent reads; the batcher announces
 * the move once (the reader's other devices, the senders' counts).
 */
export async function markRead({ actor, channelId, seq }: { actor: Actor; channelId: string; seq: number }) {
  rateLimit("read", actor.uid);
  // The batched statement only moves cursors of current members: membership is
  // checked there, and only a refused read pays for the precise error.
  const move = await readBatcher().read(channelId, actor.uid, seq);
  if (!move) {
    await requireMember({ db: db(), channelId, actor });
    throw new ApiError("not_a_member", `You are not a member of ${channelId}.`);
  }
  return { channel_id: channelId, last_read_seq: move.newSeq };
}


export async function getReceipts({ actor, messageId }: { actor: Actor; messageId: string }): Promise<ReceiptsAnswer> {
  const message = await getMergedMessageById({ db: db(), messageId });
  if (!message) throw new ApiError("message_not_found", `No message ${messageId}.`);
  const channelId = message.channelId;
  const channel = await getChannel({ db: db(), channelId });
  if (!channel) throw new ApiError("message_not_found", `No message ${messageId}.`);
  const membership = await getMembership({ db: db(), channelId, uid: actor.uid });
  if (!membership && actor.role !== "admin") await requireMember({ db: db(), channelId, actor });
  if (!channel.receiptsEnabled) throw new ApiError("receipts_disabled", "Read receipts are off in this channel.");

  const seq = message.messageSeq;
  const mayList = actor.uid === message.fromUid || mayListReads({ actor, channelRole: membership?.role });
  if (!mayList) {
    const [counts] = await countReceipts({ db: db(), channelId, items: [{ seq, fromUid: message.fromUid }] });
    return { message_id: messageId, read_count: counts?.readCount ?? 0, unread_count: counts?.unreadCount ?? 0 };
  }
  // The lists are the counts: one query, so they always agree.
  const readers = await listReaders({ db: db(), channelId, seq, senderUid: message.fromUid });
  const read = readers.filter((r) => r.hasRead).map((r) => ({ uid: r.uid, name: r.name, read_at: r.readAt ? new Date(r.readAt).toISOString() : null }));
  const unread = readers.filter((r) => !r.hasRead).map((r) => ({ uid: r.uid, name: r.name }));
  return { message_id: messageId, read_count: read.length, unread_count: unread.length, read, unread };
}
