import type { CursorMove } from "@/lib/db/queries/receipts";
import { notifyAdminsThrottled } from "@/lib/realtime/io";
import type { Deps } from "./context";

/**
 * After a cursor moved: the reader's devices learn the new cursor, and the
 * senders' counts are scheduled (unless only the reader's own messages were
 * passed, whose counts a reader's cursor never changes).
 */
export function announceRead(ctx: Deps<"receiptUpdates" | "emitToUsers">, move: CursorMove, opts: { countsChanged?: boolean } = {}) {
  if (opts.countsChanged ?? true) ctx.receiptUpdates.note([move]);
  ctx.emitToUsers([move.uid], "channel:read", { channel_id: move.channelId, uid: move.uid, last_read_seq: move.newSeq });
  notifyAdminsThrottled("receipts");
}
