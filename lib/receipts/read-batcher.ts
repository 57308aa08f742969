import type { CursorMove } from "@/lib/db/queries/receipts";

export type CursorRead = { channelId: string; uid: string; seq: number };

/**
 * What the batcher uses, passed in: boot wires the database write and the
 * announcement (lib/server/context.ts); the fast tests give stubs.
 */
export interface ReadBatcherDeps {
  /** Moves the cursors in one statement, forward only (advanceCursors); one pair per (channel, uid). */
  write: (reads: CursorRead[]) => Promise<CursorMove[]>;
  /** Tells the reader's devices and schedules the senders' counts (announceRead). */
  announce: (move: CursorMove) => void;
  /** Reads per statement. */
  maxBatch?: number;
}

interface Pending {
  channelId: string;
  uid: string;
  seq: number;
  waiters: { resolve: (m: CursorMove | undefined) => void; reject: (e: unknown) => void }[];
}

/**
 * Merges read events that arrive close together into one statement: while a
 * write is in flight, new reads queue up and go out together in the next one.
 * Several reads of one member collapse into the highest seq. Each caller gets
 * its own cursor's outcome once the write has committed.
 *
 * A committed move is announced here, once: the reads merged into it are one
 * move, and announcing per caller would tell the reader's other devices (and
 * the counts) the same move once per queued read.
 */
export class ReadBatcher {
  private queue = new Map<string, Pending>();
  private flushing = false;

  private readonly write: ReadBatcherDeps["write"];
  private readonly announce: ReadBatcherDeps["announce"];
  private readonly maxBatch: number;

  constructor(deps: ReadBatcherDeps) {
    this.write = deps.write;
    this.announce = deps.announce;
    this.maxBatch = deps.maxBatch ?? 2000;
  }

  read(channelId: string, uid: string, seq: number): Promise<CursorMove | undefined> {
    return new Promise((resolve, reject) => {
      const key = `${channelId}\u0000${uid}`;
      const pending = this.queue.get(key);
      if (pending) {
        pending.seq = Math.max(pending.seq, seq);
        pending.waiters.push({ resolve, reject });
      } else {
        this.queue.set(key, { channelId, uid, seq, waiters: [{ resolve, reject }] });
      }
      if (!this.flushing) void this.flush();
    });
  }

  private async flush() {
    this.flushing = true;
    try {
      while (this.queue.size > 0) {
        const batch = [...this.queue.values()].slice(0, this.maxBatch);
        for (const p of batch) this.queue.delete(`${p.channelId}\u0000${p.uid}`);
        try {
          const moves = await this.write(batch.map(({ channelId, uid, seq }) => ({ channelId, uid, seq })));
          const byKey = new Map(moves.map((m) => [`${m.channelId}\u0000${m.uid}`, m]));
          for (const m of moves) if (m.moved) this.announce(m);
          for (const p of batch) for (const w of p.waiters) w.resolve(byKey.get(`${p.channelId}\u0000${p.uid}`));
        } catch (err) {
          for (const p of batch) for (const w of p.waiters) w.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
