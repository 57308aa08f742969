import { db } from "@/lib/db/client";
import { claimDueOutbox, markOutboxDelivered, markOutboxFailed } from "@/lib/db/queries/outbox";
import { peekSingleton, setSingleton } from "@/lib/util/singleton";
import { canDeliver, deliverOutboxItem, OUTBOX_TOPICS } from "./topics";

const KEY = "outbox-dispatcher";
const BATCH = 100;
const POLL_MS = 1000;
// Longer than any delivery takes (WuKongIM calls time out after 10 s).
const LEASE_MS = 30_000;
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
      while (!this.stopped && (await this.deliverBatch()) === BATCH) {}
    } catch (err) {
      console.error("[imdesk] outbox dispatch failed", err);
    }
  }

  private async deliverBatch(): Promise<number> {
    const topics = OUTBOX_TOPICS.filter(canDeliver);
    const items = await claimDueOutbox({ db: db(), topics, limit: BATCH, leaseMs: LEASE_MS });
    const delivered: string[] = [];
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
    return items.length;
  }
}

/** Called after a commit that wrote outbox entries, from any module copy. */
export function wakeOutbox() {
  peekSingleton<OutboxDispatcher>(KEY)?.wake();
}
