import { now } from "@/lib/clock";
import type { CursorMove } from "@/lib/db/queries/receipts";
import { peekSingleton, setSingleton } from "@/lib/util/singleton";

/** Messages lo..hi (seqs, inclusive) of one channel whose counts changed. */
export interface SeqRange {
  lo: number;
  hi: number;
}

/**
 * What the coalescer uses, passed in: boot wires the database lease and the
 * counts sender (lib/server/context.ts); the fast tests give a fake clock and
 * stubs. The module itself loads no database or socket code.
 */
export interface CoalescerDeps {
  /** Milliseconds since the epoch, the windows are measured on (default: lib/clock). */
  now?: () => number;
  /** Runs `fn` after `ms` without keeping the process alive (default: an unref'd setTimeout). */
  setTimer?: (fn: () => void, ms: number) => void;
  /** The flush window (RECEIPT_FLUSH_MS). */
  windowMs: number;
  /** The cluster-wide flush slot of a channel: 0 when taken, else the ms until it frees. */
  takeLease: (channelId: string, windowMs: number) => Promise<number>;
  /** Sends the senders of messages in `range` their exact counts as they are now. */
  send: (channelId: string, range: SeqRange) => Promise<void>;
}

/**
 * Storm control for receipts: reads only mark a channel dirty; each channel is
 * flushed at most once per RECEIPT_FLUSH_MS (the first read of a quiet
 * channel goes out at once), and a flush sends each affected sender one
 * `receipts:update` with the exact counts at that moment. So a recipient gets
 * at most one event per channel per window, however many members read.
 */
export class ReceiptUpdateCoalescer {
  private dirty = new Map<string, SeqRange>();
  private scheduled = new Set<string>();
  private lastFlush = new Map<string, number>();
  private inFlight = new Map<string, Promise<void>>();
  private readonly deps: Required<CoalescerDeps>;
  // Bumped by clear(): timers set before it do nothing when they fire.
  private generation = 0;

  constructor(deps: CoalescerDeps) {
    this.deps = { now, setTimer: (fn, ms) => setTimeout(fn, ms).unref(), ...deps };
  }

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
    if (this.scheduled.has(channelId) || this.inFlight.has(channelId)) return;
    const last = this.lastFlush.get(channelId);
    const { windowMs } = this.deps;
    // Never more than one window: a clock set back (test mode) must not hold counts back by the difference.
    this.after(channelId, last === undefined ? 0 : Math.min(windowMs, Math.max(0, last + windowMs - this.deps.now())));
  }

  private after(channelId: string, ms: number) {
    this.scheduled.add(channelId);
    const generation = this.generation;
    this.deps.setTimer(() => {
      if (generation === this.generation) this.flush(channelId);
    }, ms);
  }

  /** Test mode's reset: nothing pending, every channel quiet (a flush already running just finishes). */
  clear() {
    this.generation++;
    this.scheduled.clear();
    this.dirty.clear();
    this.lastFlush.clear();
  }

  private flush(channelId: string) {
    this.scheduled.delete(channelId);
    if (!this.dirty.has(channelId)) return;
    const work = this.flushWithLease(channelId)
      .catch((err) => console.error("[imdesk] receipts flush failed", err))
      .finally(() => {
        // The window runs from the emit, so emits (not just flush starts) are a window apart.
        this.lastFlush.set(channelId, this.deps.now());
        this.inFlight.delete(channelId);
        if (this.dirty.has(channelId) && !this.scheduled.has(channelId)) this.schedule(channelId);
      });
    this.inFlight.set(channelId, work);
  }

  /**
   * Several instances may hold reads of one channel: the database lease keeps
   * the bound cluster-wide. Without the slot, the range waits for the next one.
   */
  private async flushWithLease(channelId: string) {
    const wait = await this.deps.takeLease(channelId, this.deps.windowMs);
    if (wait > 0) {
      this.after(channelId, wait);
      return;
    }
    const range = this.dirty.get(channelId);
    this.dirty.delete(channelId);
    if (range) await this.deps.send(channelId, range);
  }
}

const KEY = "receipt-update-coalescer";

/** The process's coalescer, which boot built and installed (lib/server/context.ts); shared by every module copy. */
export function receiptUpdateCoalescer(): ReceiptUpdateCoalescer {
  const installed = peekSingleton<ReceiptUpdateCoalescer>(KEY);
  if (!installed) throw new Error("receipt updates are not wired yet: boot builds them (lib/server/context.ts)");
  return installed;
}

export function installReceiptUpdateCoalescer(coalescer: ReceiptUpdateCoalescer | undefined) {
  setSingleton(KEY, coalescer);
}
