import type { WireMessage } from "@/lib/contracts/chat";
import type { MessageWithRevoke } from "@/lib/db/queries/messages";
import type { CursorMove } from "@/lib/db/queries/receipts";
import type { Channel } from "@/lib/db/schema";
import { emitToChannel } from "@/lib/realtime/io";
import { announceRead } from "./announce-read";
import type { Deps } from "./context";
import { countsFor } from "./receipt-counts";
import { toWireMessage } from "./to-wire";

/**
 * After the commit that stored new chat messages of one channel, however they
 * came (a send, a WuKongIM msg.notify, a message fetched for a revoke): each
 * goes to the channel's sockets as `message:new` — with counts where the
 * channel keeps receipts — and each sender's cursor move (sending reads up to
 * one's own message) goes to the sender's devices. The move changes others'
 * counts only when it passed more than the sender's own newest message: the
 * message at `newSeq` is always the sender's own, which a reader's cursor
 * never counts for.
 */
/** What announcing stored messages uses: the counts' reads, the sockets, the coalescer, the recall window. */
export type AnnounceDeps = Deps<"db" | "emitToUsers" | "receiptUpdates" | "config">;

export async function announceStoredMessages(
  ctx: AnnounceDeps,
  {
    channel,
    rows,
    senderReads,
  }: {
    channel: Pick<Channel, "channelId" | "receiptsEnabled">;
    rows: MessageWithRevoke[];
    senderReads: CursorMove[];
  },
): Promise<WireMessage[]> {
  const window = ctx.config.REVOKE_WINDOW_SECONDS;
  const counts = channel.receiptsEnabled && rows.length ? await countsFor(ctx, { channelId: channel.channelId, rows }) : new Map();
  const messages = rows.map((row) => toWireMessage(row, { revokeWindowSeconds: window, counts: counts.get(row.messageSeq) }));
  for (const message of messages) emitToChannel(channel.channelId, "message:new", message);
  for (const move of senderReads) if (move.moved) announceRead(ctx, move, { countsChanged: move.oldSeq + 1 < move.newSeq });
  return messages;
}
