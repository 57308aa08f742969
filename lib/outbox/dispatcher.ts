import { db, isDatabaseUnavailable } from "@/lib/db/client";
import { claimDueOutbox, markOutboxDelivered, markOutboxFailed } from "@/lib/db/queries/outbox";
import { peekSingleton, setSingleton } from "@/lib/util/singleton";
import { canDeliver, deliverOutboxItem, destinationOf, OUTBOX_TOPICS } from "./topics";

const KEY = "outbox-dispatcher";
const BATCH = 100;
const POLL_MS = 1000;
// A claim outlives the delivery it covers: a socket emit is immediate, a
// WuKongIM call times out after 10 s. A dispatcher that dies mid-batch leaves
// its entries to the others once the lease runs out.
const LEASE_MS = { realtime: 5_000, wukongim: 30_000 } as const;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Delivers what transactions wrote to the outbox, after they committed.
 * Entries are claimed under a lease in one short statement and delivered
 * outside any transaction (a slow WuKongIM holds no row lock and no pool
 * connection), then marked delivered or scheduled for a retry with backoff.
 * A commit followed by a crash leaves the entry pending: socket notices are
 * handed to reconnecting devices by `NoticeRecovery`, the rest are delivered
 * by the next dispatcher.
 */
export class OutboxDispatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  // What this instance delivers, per destination: fixed by its configuration, so decided once.
  private readonly claims = (["realtime", "wukongim"] as const).map((destination) => ({
    destination,
    topics: OUTBOX_TOPICS.filter((t) => destinationOf(t) === destination && canDeliver(t)),
  }));

  start() {
    setSingleton(KEY, this);
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  wake() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  async stop() {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    if (peekSingleton(KEY) === this) setSingleton(KEY, undefined);
  }

  private async drain() {
    try {
      while (!this.stopped && (await this.deliverBatch())) {}
    } catch (err) {
      // Entries stay pending and are claimed again on the next tick; an outage needs no stack per tick.
      if (isDatabaseUnavailable(err))
        console.warn(`[imdesk] outbox dispatch waits for the database (${(err as Error).message.split("\n")[0]})`);
      else console.error("[imdesk] outbox dispatch failed", err);
    }
  }

  /** One claim per destination, delivered; true when a claim came back full (more may be due). */
  private async deliverBatch(): Promise<boolean> {
    const items = [];
    let full = false;
    for (const { destination, topics } of this.claims) {
      const claimed = await claimDueOutbox({ db: db(), topics, limit: BATCH, leaseMs: LEASE_MS[destination] });
      full ||= claimed.length === BATCH;
      items.push(...claimed);
    }
    const delivered: number[] = [];
    for (const item of items) {
      try {
        await deliverOutboxItem(item);
        delivered.push(item.id);
      } catch (err) {
        const retryInMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(item.attempts, 16));
        await markOutboxFailed({ db: db(), id: item.id, error: String((err as Error)?.message ?? err), retryInMs });
      }
    }
    await markOutboxDelivered({ db: db(), ids: delivered });
    return full;
  }
}

/** Called after a commit that wrote outbox entries, from any module copy. */
export function wakeOutbox() {
  peekSingleton<OutboxDispatcher>(KEY)?.wake();
}
