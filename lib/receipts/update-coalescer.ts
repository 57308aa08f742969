import { now, nowDate } from "@/lib/clock";
import { config } from "@/lib/config";
import type { ReceiptCounts } from "@/lib/contracts/chat";
import { db } from "@/lib/db/client";
import { getChannel, getMemberRoles } from "@/lib/db/queries/channels";
import { listCountableInRange } from "@/lib/db/queries/messages";
import { type CursorMove, countReceipts, takeFlushLease } from "@/lib/db/queries/receipts";
import { emitToUsers } from "@/lib/realtime/io";
import { singleton } from "@/lib/util/singleton";

// A reader back from a long absence may cover thousands of messages; senders
// get live counts for the newest ones, older ones refresh with history.
const MAX_ITEMS_PER_FLUSH = 5000;

interface Dirty {
  lo: number;
  hi: number;
}

/**
 * Storm control for receipts: reads only mark a channel dirty; each channel is
 * flushed at most once per RECEIPT_FLUSH_MS (the first read of a quiet
 * channel goes out at once), and a flush sends each affected sender one
 * `receipts:update` with the exact counts at that moment. So a recipient gets
 * at most one event per channel per window, however many members read.
 */
class ReceiptUpdateCoalescer {
  private dirty = new Map<string, Dirty>();
  private timers = new Map<string, NodeJS.Timeout>();
  private lastFlush = new Map<string, number>();
  private inFlight = new Map<string, Promise<void>>();

  note(moves: CursorMove[]) {
    for (const m of moves) this.noteRange(m.channelId, m.oldSeq + 1, m.newSeq);
  }

  /** Counts of messages lo..hi changed (a read, or a member leaving with them unread). */
  noteRange(channelId: string, lo: number, hi: number) {
    if (hi < lo) return;
    const d = this.dirty.get(channelId);
    this.dirty.set(channelId, d ? { lo: Math.min(d.lo, lo), hi: Math.max(d.hi, hi) } : { lo, hi });
    this.schedule(channelId);
  }

  private schedule(channelId: string) {
    // A flush in progress schedules the next one itself when it has emitted.
    if (this.timers.has(channelId) || this.inFlight.has(channelId)) return;
    // Clamped: a clock a test set back must not hold a channel's counts for longer than one window.
    const window = config().RECEIPT_FLUSH_MS;
    const wait = Math.min(window, Math.max(0, (this.lastFlush.get(channelId) ?? 0) + window - now()));
    const timer = setTimeout(() => this.flush(channelId), wait);
    timer.unref();
    this.timers.set(channelId, timer);
  }

  private flush(channelId: string) {
    this.timers.delete(channelId);
    if (!this.dirty.has(channelId)) return;
    const work = this.flushWithLease(channelId)
      .catch((err) => console.error("[imdesk] receipts flush failed", err))
      .finally(() => {
        // The window runs from the emit, so emits (not just flush starts) are a window apart.
        this.lastFlush.set(channelId, now());
        this.inFlight.delete(channelId);
        if (this.dirty.has(channelId) && !this.timers.has(channelId)) this.schedule(channelId);
      });
    this.inFlight.set(channelId, work);
  }

  /** Test mode's reset: nothing pending, every channel quiet (a flush already running just finishes). */
  clear() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.dirty.clear();
    this.lastFlush.clear();
  }

  /**
   * Several instances may hold reads of one channel: the database lease keeps
   * the bound cluster-wide. Without the slot, the range waits for the next one.
   */
  private async flushWithLease(channelId: string) {
    const wait = await takeFlushLease({ db: db(), channelId, windowMs: config().RECEIPT_FLUSH_MS, at: nowDate() });
    if (wait > 0) {
      const retry = setTimeout(() => this.flush(channelId), wait);
      retry.unref();
      this.timers.set(channelId, retry);
      return;
    }
    const range = this.dirty.get(channelId);
    this.dirty.delete(channelId);
    if (range) await this.send(channelId, range);
  }

  private async send(channelId: string, range: Dirty) {
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
    for (const [uid, items] of bySender) if (members.has(uid)) emitToUsers([uid], "receipts:update", { channel_id: channelId, items });
  }
}

export function receiptUpdateCoalescer(): ReceiptUpdateCoalescer {
  return singleton("receipt-update-coalescer", () => new ReceiptUpdateCoalescer());
}
