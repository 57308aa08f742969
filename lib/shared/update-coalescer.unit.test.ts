import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ReceiptUpdateCoalescer, type SeqRange } from "./update-coalescer";

const WINDOW = 250;

/** Promise callbacks run before setImmediate: one turn lets a stubbed flush finish. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Time that moves only when the test says so; due timers run in order, each followed by a settle. */
class FakeClock {
  t = 1_700_000_000_000;
  private timers: { at: number; order: number; fn: () => void }[] = [];
  private order = 0;
  now = () => this.t;
  setTimer = (fn: () => void, ms: number) => {
    this.timers.push({ at: this.t + ms, order: this.order++, fn });
  };
  async advance(ms: number) {
    const end = this.t + ms;
    await settle();
    for (let fired = 0; ; fired++) {
      // A flush that reschedules itself without end would otherwise hang the test instead of failing it.
      if (fired > 10_000) throw new Error("timers keep firing at the same moment: a flush loop");
      this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
      const due = this.timers[0];
      if (!due || due.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, due.at);
      due.fn();
      await settle();
    }
    this.t = end;
  }
}

interface Sent extends SeqRange {
  channelId: string;
  at: number;
}

function setup({
  lease = async () => 0,
  send,
}: {
  lease?: (channelId: string, windowMs: number) => Promise<number>;
  send?: (channelId: string, range: SeqRange) => Promise<void>;
} = {}) {
  const clock = new FakeClock();
  const sent: Sent[] = [];
  const leases: number[] = [];
  const coalescer = new ReceiptUpdateCoalescer({
    now: clock.now,
    setTimer: clock.setTimer,
    windowMs: WINDOW,
    takeLease: (channelId, windowMs) => {
      leases.push(clock.now());
      return lease(channelId, windowMs);
    },
    send: async (channelId, range) => {
      sent.push({ channelId, ...range, at: clock.now() });
      await send?.(channelId, range);
    },
  });
  return { clock, sent, leases, coalescer };
}

const ranges = (sent: SeqRange[]) => sent.map(({ lo, hi }) => ({ lo, hi }));

/** Every seq in lo..hi was sent exactly once, across all sends. */
function assertEachSentOnce(sent: SeqRange[], lo: number, hi: number) {
  const times = new Map<number, number>();
  for (const r of sent) for (let s = r.lo; s <= r.hi; s++) times.set(s, (times.get(s) ?? 0) + 1);
  for (let s = lo; s <= hi; s++) assert.equal(times.get(s), 1, `seq ${s} sent ${times.get(s) ?? 0} times`);
}

describe("receipt update coalescer", () => {
  test("the first read of a quiet channel goes out at once, with exactly the messages it covered", async () => {
    const { clock, sent, coalescer } = setup();
    coalescer.note([{ channelId: "g1", uid: "bob", oldSeq: 3, newSeq: 7, moved: true }]);
    await clock.advance(0);
    assert.deepEqual(sent, [{ channelId: "g1", lo: 4, hi: 7, at: clock.t }]);
  });

  test("a read one window later waits for the window, then goes out on time", async () => {
    const { clock, sent, coalescer } = setup();
    coalescer.noteRange("g1", 1, 1);
    await clock.advance(10);
    coalescer.noteRange("g1", 2, 2);
    await clock.advance(WINDOW - 11);
    assert.equal(sent.length, 1, "the second read must wait for the window");
    await clock.advance(1);
    assert.equal(sent.length, 2);
    assert.deepEqual(ranges(sent), [
      { lo: 1, hi: 1 },
      { lo: 2, hi: 2 },
    ]);
    assert.equal(sent[1].at - sent[0].at, WINDOW);
  });

  test("200 reads within one second: ⌈1000/window⌉ + 1 updates, none lost or sent twice, the last read in the last one", async () => {
    const { clock, sent, coalescer } = setup();
    for (let seq = 1; seq <= 200; seq++) {
      coalescer.noteRange("g1", seq, seq);
      await clock.advance(5);
    }
    await clock.advance(WINDOW);
    assert.equal(sent.length, Math.ceil(1000 / WINDOW) + 1);
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i].at - sent[i - 1].at >= WINDOW, "two updates within one window");
    assertEachSentOnce(sent, 1, 200);
    assert.equal(sent.at(-1)?.hi, 200);
  });

  test("no second flush while one is in flight; reads meanwhile go out once, one window after it finished", async () => {
    let finish = () => {};
    const { clock, sent, coalescer } = setup({
      send: () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    });
    coalescer.noteRange("g1", 1, 5);
    await clock.advance(0);
    coalescer.noteRange("g1", 6, 6);
    coalescer.noteRange("g1", 7, 9);
    await clock.advance(WINDOW * 4);
    assert.equal(sent.length, 1, "a flush started while the first was still sending");
    finish();
    await clock.advance(WINDOW - 1);
    assert.equal(sent.length, 1, "the next flush came sooner than a window after the last emit");
    await clock.advance(1);
    assert.deepEqual(ranges(sent), [
      { lo: 1, hi: 5 },
      { lo: 6, hi: 9 },
    ]);
    finish();
    await clock.advance(WINDOW * 4);
    assert.equal(sent.length, 2, "nothing was left to send");
  });

  test("lease lost to another instance: the range waits for the freed slot and goes out once", async () => {
    let held = true;
    const { clock, sent, leases, coalescer } = setup({ lease: async () => (held ? 120 : 0) });
    coalescer.noteRange("g1", 1, 3);
    await clock.advance(0);
    assert.equal(sent.length, 0, "sent although another instance holds the channel's slot");
    held = false;
    coalescer.noteRange("g1", 4, 4);
    await clock.advance(119);
    assert.equal(sent.length, 0);
    await clock.advance(1);
    assert.deepEqual(ranges(sent), [{ lo: 1, hi: 4 }]);
    assert.equal(leases.length, 2, "the lease is asked again when the slot frees, not before");
    await clock.advance(WINDOW * 4);
    assert.equal(sent.length, 1);
  });

  test("a lease that cannot be taken (database down) keeps the range for the next window", async () => {
    let down = true;
    const { clock, sent, coalescer } = setup({
      lease: async () => {
        if (down) throw new Error("connection refused");
        return 0;
      },
    });
    const quiet = console.error;
    console.error = () => {};
    try {
      coalescer.noteRange("g1", 1, 2);
      await clock.advance(0);
      assert.equal(sent.length, 0);
      down = false;
      await clock.advance(WINDOW);
      assert.deepEqual(ranges(sent), [{ lo: 1, hi: 2 }]);
    } finally {
      console.error = quiet;
    }
  });

  test("an earlier range noted after a later one in the same window is sent too", async () => {
    const { clock, sent, coalescer } = setup();
    coalescer.noteRange("g1", 10, 10);
    await clock.advance(1);
    coalescer.noteRange("g1", 5, 9);
    coalescer.noteRange("g1", 1, 3);
    await clock.advance(WINDOW);
    assert.deepEqual(ranges(sent), [
      { lo: 10, hi: 10 },
      { lo: 1, hi: 9 },
    ]);
  });

  test("channels do not wait for each other", async () => {
    const { clock, sent, coalescer } = setup();
    coalescer.noteRange("g1", 1, 1);
    coalescer.noteRange("g2", 1, 1);
    await clock.advance(0);
    assert.deepEqual(sent.map((s) => s.channelId).sort(), ["g1", "g2"]);
  });

  test("a clock set back (test mode) holds counts back by one window at most", async () => {
    const { clock, sent, coalescer } = setup();
    coalescer.noteRange("g1", 1, 1);
    await clock.advance(0);
    clock.t -= 3_600_000;
    coalescer.noteRange("g1", 2, 2);
    await clock.advance(WINDOW);
    assert.equal(sent.length, 2);
  });

  test("a read that covers nothing new schedules nothing", async () => {
    const { clock, sent, coalescer } = setup();
    coalescer.note([{ channelId: "g1", uid: "bob", oldSeq: 7, newSeq: 7, moved: false }]);
    await clock.advance(WINDOW * 2);
    assert.equal(sent.length, 0);
  });
});
