import { isDatabaseUnavailable } from "@/lib/db/client";
import { claimDueOutbox, markOutboxDelivered, markOutboxFailed } from "@/lib/db/queries/outbox";
import type { Deps } from "@/lib/shared/context";
import { peekSingleton, setSingleton } from "@/lib/util/singleton";
import { canDeliver, deliverOutboxItem, destinationOf, OUTBOX_TOPICS, type OutboxTopic } from "./topics";

const KEY = "outbox-dispatcher";
const BATCH = 100;
const POLL_MS = 1000;
// A claim outlives the delivery it covers: a socket emit is immediate, a
// WuKongIM call times out after 10 s. A dispatcher that dies mid-batch leaves
// its entries to the others once the lease runs out.
const LEASE_MS = { realtime: 5_000, wukongim: 30_000 } as const;
const MAX_BACKOFF_MS = 5 * 60_000;

/** An entry as claimed: `attempts` made before this one. */
export interface OutboxItem {
  id: number;
  topic: string;
  payload: unknown;
  attempts: number;
}

/** Where entries wait (lib/db/queries/outbox.ts in production; memory in the unit tests). */
export interface OutboxStore {
  claim(topics: OutboxTopic[], limit: number, leaseMs: number): Promise<OutboxItem[]>;
  delivered(ids: number[]): Promise<void>;
  failed(id: number, error: string, retryInMs: number): Promise<void>;
}

export interface OutboxDispatcherDeps {
  store: OutboxStore;
  deliver: (item: OutboxItem) => Promise<void>;
  /** Whether this instance delivers a topic (WuKongIM's wait for an instance configured with it). */
  canDeliver?: (topic: OutboxTopic) => boolean;
}

/** The production parts: the outbox table through the context's database, each topic's own delivery. */
export function outboxDeps(ctx: Deps<"db">): OutboxDispatcherDeps {
  return {
    store: {
      claim: (topics, limit, leaseMs) => claimDueOutbox({ db: ctx.db(), topics, limit, leaseMs }),
      delivered: (ids) => markOutboxDelivered({ db: ctx.db(), ids }),
      failed: (id, error, retryInMs) => markOutboxFailed({ db: ctx.db(), id, error, retryInMs }),
    },
    deliver: (item) => deliverOutboxItem(ctx, item),
    canDeliver,
  };
}

/** The wait before the next attempt of an entry that failed `attempts` times before: doubling from 1 s, at most 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts, 16));
}

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
  private readonly claims: { destination: keyof typeof LEASE_MS; topics: OutboxTopic[] }[];

  constructor(private readonly deps: OutboxDispatcherDeps) {
    const delivers = deps.canDeliver ?? (() => true);
    this.claims = (["realtime", "wukongim"] as const).map((destination) => ({
      destination,
      topics: OUTBOX_TOPICS.filter((t) => destinationOf(t) === destination && delivers(t)),
    }));
  }

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

  /** Resolves when the drain under way (if any) has finished. */
  async idle() {
    while (this.running) await this.running;
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
    const items: OutboxItem[] = [];
    let full = false;
    for (const { destination, topics } of this.claims) {
      const claimed = await this.deps.store.claim(topics, BATCH, LEASE_MS[destination]);
      full ||= claimed.length === BATCH;
      items.push(...claimed);
    }
    const delivered: number[] = [];
    for (const item of items) {
      try {
        await this.deps.deliver(item);
        delivered.push(item.id);
      } catch (err) {
        await this.deps.store.failed(item.id, String((err as Error)?.message ?? err), retryDelayMs(item.attempts));
      }
    }
    await this.deps.store.delivered(delivered);
    return full;
  }
}

/** Called after a commit that wrote outbox entries, from any module copy. */
export function wakeOutbox() {
  peekSingleton<OutboxDispatcher>(KEY)?.wake();
}
