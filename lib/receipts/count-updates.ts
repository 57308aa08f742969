import type { ReceiptCounts } from "@/lib/contracts/chat";
import type { Queryable } from "@/lib/db/client";
import { getChannel, getMemberRoles } from "@/lib/db/queries/channels";
import { listCountableInRange } from "@/lib/db/queries/messages";
import { countReceipts } from "@/lib/db/queries/receipts";
import type { emitToUsers } from "@/lib/realtime/io";
import type { SeqRange } from "@/lib/shared/update-coalescer";

// A reader back from a long absence may cover thousands of messages; senders
// get live counts for the newest ones, older ones refresh with history.
const MAX_ITEMS_PER_FLUSH = 5000;

/**
 * What a receipts flush sends (the coalescer's `send`): each sender still in
 * the channel gets one `receipts:update` with the exact counts, as they are
 * now, of their messages in the range, newest first.
 */
export function sendCountUpdates({ db, emit }: { db: () => Queryable; emit: typeof emitToUsers }) {
  return async (channelId: string, range: SeqRange) => {
    const channel = await getChannel({ db: db(), channelId });
    if (!channel?.receiptsEnabled) return;
    const rows = await listCountableInRange({ db: db(), channelId, lo: range.lo, hi: range.hi, limit: MAX_ITEMS_PER_FLUSH });
    if (rows.length === 0) return;
    const counts = await countReceipts({
      db: db(),
      channelId,
      items: rows.map((r) => ({ seq: r.messageSeq, fromUid: r.fromUid })),
    });
    const bySeq = new Map(counts.map((c) => [c.messageSeq, c]));
    const bySender = new Map<string, ReceiptCounts[]>();
    for (const r of rows.reverse()) {
      const c = bySeq.get(r.messageSeq);
      if (!c) continue;
      const items = bySender.get(r.fromUid) ?? [];
      items.push({ message_id: r.messageId, message_seq: r.messageSeq, read_count: c.readCount, unread_count: c.unreadCount });
      bySender.set(r.fromUid, items);
    }
    // Counts are for senders still in the channel: one who left learns nothing more of it.
    const members = await getMemberRoles({ db: db(), channelId, uids: [...bySender.keys()] });
    for (const [uid, items] of bySender) if (members.has(uid)) emit([uid], "receipts:update", { channel_id: channelId, items });
  };
}
