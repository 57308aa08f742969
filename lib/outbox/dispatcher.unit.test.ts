import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OutboxDispatcher, type OutboxItem, type OutboxStore, retryDelayMs } from "./dispatcher";
import type { OutboxTopic } from "./topics";

/** The outbox table in memory, on a clock the test moves: what claim, delivered and failed do to rows. */
class MemoryOutbox implements OutboxStore {
  t = 0;
  rows: (OutboxItem & { nextAt: number; deliveredAt?: number; lastError?: string })[] = [];
  retries: { id: number; retryInMs: number }[] = [];

  add(id: number, topic: OutboxTopic = "message:revoked") {
    this.rows.push({ id, topic, payload: { id }, attempts: 0, nextAt: 0 });
  }
  async claim(topics: OutboxTopic[], limit: number, leaseMs: number) {
    const due = this.rows
      .filter((r) => r.deliveredAt === undefined && r.nextAt <= this.t && topics.includes(r.topic as OutboxTopic))
      .sort((a, b) => a.id - b.id)
      .slice(0, limit);
    for (const r of due) r.nextAt = this.t + leaseMs;
    return due.map(({ id, topic, payload, attempts }) => ({ id, topic, payload, attempts }));
  }
  async delivered(ids: number[]) {
    for (const r of this.rows) if (ids.includes(r.id)) Object.assign(r, { deliveredAt: this.t, attempts: r.attempts + 1 });
  }
  async failed(id: number, error: string, retryInMs: number) {
    const r = this.rows.find((x) => x.id === id);
    if (r) Object.assign(r, { attempts: r.attempts + 1, lastError: error, nextAt: this.t + retryInMs });
    this.retries.push({ id, retryInMs });
  }
}

function setup(fails: (item: OutboxItem) => boolean = () => false) {
  const store = new MemoryOutbox();
  const sent: number[] = [];
  const dispatcher = new OutboxDispatcher({
    store,
    deliver: async (item) => {
      if (fails(item)) throw new Error(`WuKongIM refused ${item.id}`);
      sent.push(item.id);
    },
  });
  /** One wake-up of the dispatcher (its poll or a commit's wakeOutbox), waited for. */
  const tick = async () => {
    dispatcher.wake();
    await dispatcher.idle();
  };
  return { store, sent, dispatcher, tick };
}

describe("outbox dispatcher", () => {
  test("notices go out in the order their transactions wrote them, each once", async () => {
    const { store, sent, tick } = setup();
    for (const id of [3, 1, 2]) store.add(id);
    await tick();
    await tick();
    assert.deepEqual(sent, [1, 2, 3]);
    assert.ok(store.rows.every((r) => r.deliveredAt !== undefined));
  });

  test("a delivery that fails does not hold back the notices after it, and is tried again after its wait", async () => {
    let down = true;
    const { store, sent, tick } = setup((item) => item.id === 1 && down);
    for (const id of [1, 2, 3]) store.add(id);
    await tick();
    assert.deepEqual(sent, [2, 3], "the others are delivered while the first fails");
    assert.equal(store.rows[0].lastError, "WuKongIM refused 1");

    store.t += 999;
    await tick();
    assert.deepEqual(sent, [2, 3], "not retried before its wait is over");
    down = false;
    store.t += 1;
    await tick();
    assert.deepEqual(sent, [2, 3, 1]);
  });

  test("a delivery that keeps failing waits twice as long each time, never more than 5 minutes", async () => {
    const { store, tick } = setup(() => true);
    store.add(1);
    for (let i = 0; i < 12; i++) {
      await tick();
      store.t += 10 * 60_000;
    }
    assert.deepEqual(
      store.retries.map((r) => r.retryInMs),
      [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000, 300000],
    );
    assert.equal(retryDelayMs(1_000), 300_000, "a huge attempt count stays capped (no overflow to Infinity)");
  });

  test("more than one batch due: a single wake-up delivers them all", async () => {
    const { store, sent, tick } = setup();
    for (let id = 1; id <= 250; id++) store.add(id);
    await tick();
    assert.equal(sent.length, 250);
    assert.deepEqual(
      sent,
      Array.from({ length: 250 }, (_, i) => i + 1),
    );
  });

  test("after stop() nothing more is claimed", async () => {
    const { store, sent, dispatcher, tick } = setup();
    await dispatcher.stop();
    store.add(1);
    await tick();
    assert.deepEqual(sent, []);
  });
});
