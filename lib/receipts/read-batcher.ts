import { nowDate } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { advanceCursors, type CursorMove } from "@/lib/db/queries/receipts";
import { singleton } from "@/lib/util/singleton";
import { announceRead } from "./announce";

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
class ReadBatcher {
  private queue = new Map<string, Pending>();
  private flushing = false;

  constructor(private readonly announce: (move: CursorMove) => void) {}

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
        const batch = [...this.queue.values()].slice(0, 2000);
        for (const p of batch) this.queue.delete(`${p.channelId}\u0000${p.uid}`);
        try {
          const moves = await advanceCursors({ db: db(), reads: batch, at: nowDate() });
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

export function readBatcher(): ReadBatcher {
  return singleton("read-batcher", () => new ReadBatcher((move) => announceRead(move)));
}
