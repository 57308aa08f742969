import type { CursorMove } from "@/lib/db/queries/receipts";
import { emitToUsers, notifyAdminsThrottled } from "@/lib/realtime/io";
import { receiptUpdateCoalescer } from "./update-coalescer";

/**
 * After a cursor moved: the reader's devices learn the new cursor, and the
 * senders' counts are scheduled (unless only the reader's own messages were
 * passed, whose counts a reader's cursor never changes).
 */
export function announceRead(move: CursorMove, opts: { countsChanged?: boolean } = {}) {
  if (opts.countsChanged ?? true) receiptUpdateCoalescer().note([move]);
  emitToUsers([move.uid], "channel:read", { channel_id: move.channelId, uid: move.uid, last_read_seq: move.newSeq });
  notifyAdminsThrottled("receipts");
}
