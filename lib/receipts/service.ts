import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import type { ReceiptsAnswer } from "@/lib/contracts/chat";
import { getChannel, getMembership } from "@/lib/db/queries/channels";
import { getMergedMessageById } from "@/lib/db/queries/messages";
import { listReaders } from "@/lib/db/queries/receipts";
import { ApiError } from "@/lib/errors";
import { takeToken } from "@/lib/security/rate-limit";
import { mayListReads, NOT_A_MEMBER_OF_CONVERSATION, requireMember } from "@/lib/shared/access";
import type { Deps } from "@/lib/shared/context";

export const readSchema = z.object({
  message_seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/**
 * Moves the caller's read cursor forward (never back, never past the latest
 * message). The write is merged with concurrent reads; the batcher announces
 * the move once (the reader's other devices, the senders' counts).
 */
export async function markRead(
  ctx: Deps<"db" | "limiter" | "reads">,
  { actor, channelId, seq }: { actor: Actor; channelId: string; seq: number },
) {
  takeToken(ctx.limiter, "read", actor.uid);
  // The batched statement only moves cursors of current members: membership is
  // checked there, and only a refused read pays for the precise error.
  const move = await ctx.reads.read(channelId, actor.uid, seq);
  if (!move) {
    await requireMember({ db: ctx.db(), channelId, actor });
    throw new ApiError("not_a_member", `You are not a member of ${channelId}.`);
  }
  return { channel_id: channelId, last_read_seq: move.newSeq };
}

/**
 * A message's receipts, counts and lists alike, for those who may see its read
 * lists: the sender, the channel's owner and admins, system admins. Counts are
 * not given to anyone else: taken a few times as others read, they tell who
 * read up to where (the read positions GET members keeps from them).
 */
export async function getReceipts(ctx: Deps<"db">, { actor, messageId }: { actor: Actor; messageId: string }): Promise<ReceiptsAnswer> {
  const message = await getMergedMessageById({ db: ctx.db(), messageId });
  if (!message) throw new ApiError("message_not_found", `No message ${messageId}.`);
  const channelId = message.channelId;
  const channel = await getChannel({ db: ctx.db(), channelId });
  if (!channel) throw new ApiError("message_not_found", `No message ${messageId}.`);
  const membership = await getMembership({ db: ctx.db(), channelId, uid: actor.uid });
  if (!membership && actor.role !== "admin") throw new ApiError("not_a_member", NOT_A_MEMBER_OF_CONVERSATION);
  if (!channel.receiptsEnabled) throw new ApiError("receipts_disabled", "Read receipts are off in this channel.");
  const mayList = actor.uid === message.fromUid || mayListReads({ actor, channelRole: membership?.role });
  if (!mayList)
    throw new ApiError("not_allowed", "Only the sender, the channel's owner or admins, or a system admin see a message's receipts.");

  // The lists are the counts: one query, so they always agree.
  const readers = await listReaders({ db: ctx.db(), channelId, seq: message.messageSeq, senderUid: message.fromUid });
  const read = readers
    .filter((r) => r.hasRead)
    .map((r) => ({ uid: r.uid, name: r.name, read_at: r.readAt ? new Date(r.readAt).toISOString() : null }));
  const unread = readers.filter((r) => !r.hasRead).map((r) => ({ uid: r.uid, name: r.name }));
  return { message_id: messageId, read_count: read.length, unread_count: unread.length, read, unread };
}
