import { db } from "@/lib/db/client";
import { claimDueOutbox, markOutboxDelivered, markOutboxFailed } from "@/lib/db/queries/outbox";
import { peekSingleton, setSingleton } from "@/lib/util/singleton";

export interface OutboxItem {
  id: string;
  destination: "realtime" | "wukongim";
  topic: string;
  channel_id: string | null;
  payload: Record<string, unknown>;
  attempts: number;
}

export type Deliver = (item: OutboxItem) => Promise<void> | void;

const KEY = "outbox-dispatcher";
const BATCH = 100;
const POLL_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Delivers what transactions wrote to the outbox, after they committed. A
 * commit followed by a crash leaves the entry pending, and the next dispatcher
 * (after a restart, or another instance) delivers it. Entries are claimed
 * with SKIP LOCKED and marked delivered in the claiming transaction.
 */
export class OutboxDispatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly destinations: Record<OutboxItem["destination"], Deliver | undefined>,
    /**
     * Entries left pending by a previous process are notices for devices that
     * were connected to it; they reconnect within a few seconds (Socket.IO's
     * backoff), so the first drain after a start waits that long for them.
     */
    private readonly startupGraceMs = 0,
  ) {}

  start() {
    setSingleton(KEY, this);
    const begin = () => {
      if (this.stopped) return;
      this.timer = setInterval(() => this.wake(), POLL_MS);
      this.timer.unref();
      this.wake();
    };
    if (this.startupGraceMs > 0) setTimeout(begin, this.startupGraceMs).unref();
    else begin();
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
    return db().transaction(async (tx) => {
      const items = await claimDueOutbox({ db: tx, limit: BATCH });
      const delivered: string[] = [];
      for (const item of items) {
        const deliver = this.destinations[item.destination];
        if (!deliver) continue;
        try {
          await deliver(item);
          delivered.push(item.id);
        } catch (err) {
          const retryInMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(item.attempts, 16));
          await markOutboxFailed({ db: tx, id: item.id, error: String((err as Error)?.message ?? err), retryInMs });
        }
      }
      await markOutboxDelivered({ db: tx, ids: delivered });
      return items.length;
    });
  }
}

/** Called after a commit that wrote outbox entries, from any module copy. */
export function wakeOutbox() {
  peekSingleton<OutboxDispatcher>(KEY)?.wake();
}
