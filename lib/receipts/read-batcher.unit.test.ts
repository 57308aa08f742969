import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CursorMove } from "@/lib/db/queries/receipts";
import { type CursorRead, ReadBatcher } from "./read-batcher";

/**
 * The cursor table as advanceCursors treats it: forward only, never past the
 * channel's latest message, members only. Writes can be held open to queue reads behind them.
 */
function setup({
  latest = 100,
  members = ["bob", "carol", "dave"],
  maxBatch,
}: {
  latest?: number;
  members?: string[];
  maxBatch?: number;
} = {}) {
  const cursors = new Map(members.map((uid) => [uid, 0]));
  const writes: CursorRead[][] = [];
  const announced: CursorMove[] = [];
  let hold: Promise<void> | undefined;
  let failNext: Error | undefined;
  const batcher = new ReadBatcher({
    maxBatch,
    write: async (reads) => {
      writes.push(reads);
      await hold;
      if (failNext) {
        const err = failNext;
        failNext = undefined;
        throw err;
      }
      return reads.flatMap(({ channelId, uid, seq }) => {
        const oldSeq = cursors.get(uid);
        if (oldSeq === undefined) return [];
        const newSeq = Math.max(oldSeq, Math.min(seq, latest));
        cursors.set(uid, newSeq);
        return [{ channelId, uid, oldSeq, newSeq, moved: newSeq > oldSeq }];
      });
    },
    announce: (move) => announced.push(move),
  });
  return {
    batcher,
    cursors,
    writes,
    announced,
    /** Holds writes open until the returned function is called. */
    holdWrites() {
      let release = () => {};
      hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        hold = undefined;
        release();
      };
    },
    failNextWrite(err: Error) {
      failNext = err;
    },
  };
}

describe("read batcher", () => {
  test("a read moves the reader's cursor and is announced once", async () => {
    const { batcher, writes, announced } = setup();
    const move = await batcher.read("g1", "bob", 5);
    assert.deepEqual(move, { channelId: "g1", uid: "bob", oldSeq: 0, newSeq: 5, moved: true });
    assert.equal(writes.length, 1);
    assert.deepEqual(announced, [move]);
  });

  test("reads queued behind a write go out in one write; one member's reads become the highest; one announce per moved cursor", async () => {
    const { batcher, writes, announced, holdWrites } = setup();
    const release = holdWrites();
    const first = batcher.read("g1", "bob", 1);
    const queued = [
      batcher.read("g1", "bob", 7),
      batcher.read("g1", "bob", 9),
      batcher.read("g1", "carol", 2),
      batcher.read("g1", "bob", 3),
    ];
    release();
    await first;
    const moves = await Promise.all(queued);
    assert.equal(writes.length, 2, "the queued reads were not merged into one write");
    assert.deepEqual(writes[1], [
      { channelId: "g1", uid: "bob", seq: 9 },
      { channelId: "g1", uid: "carol", seq: 2 },
    ]);
    const bob = { channelId: "g1", uid: "bob", oldSeq: 1, newSeq: 9, moved: true };
    assert.deepEqual(moves, [bob, bob, { channelId: "g1", uid: "carol", oldSeq: 0, newSeq: 2, moved: true }, bob]);
    assert.deepEqual(
      announced.map((m) => `${m.uid} ${m.oldSeq}→${m.newSeq}`),
      ["bob 0→1", "bob 1→9", "carol 0→2"],
    );
  });

  test("a read behind the cursor moves nothing and announces nothing; the caller learns where the cursor is", async () => {
    const { batcher, cursors, announced } = setup();
    await batcher.read("g1", "bob", 8);
    const move = await batcher.read("g1", "bob", 4);
    assert.equal(move?.newSeq, 8);
    assert.equal(move?.moved, false);
    assert.equal(cursors.get("bob"), 8);
    assert.equal(announced.length, 1);
  });

  test("a read past the latest message stops at the latest", async () => {
    const { batcher, announced } = setup({ latest: 12 });
    assert.equal((await batcher.read("g1", "bob", 1_000))?.newSeq, 12);
    assert.equal(announced[0].newSeq, 12);
  });

  test("a non-member's read resolves empty (the route answers not_a_member) and announces nothing", async () => {
    const { batcher, announced } = setup();
    assert.equal(await batcher.read("g1", "mallory", 5), undefined);
    assert.equal(announced.length, 0);
  });

  test("a failed write rejects exactly the reads in it; reads queued behind it still go out", async () => {
    const { batcher, cursors, holdWrites, failNextWrite } = setup();
    const release = holdWrites();
    failNextWrite(new Error("lock timeout"));
    const failing = batcher.read("g1", "bob", 3);
    const behind = batcher.read("g1", "carol", 4);
    release();
    await assert.rejects(failing, /lock timeout/);
    assert.equal((await behind)?.newSeq, 4);
    assert.equal(cursors.get("bob"), 0);
  });

  test("more readers than one statement takes: every read is written once, in several writes", async () => {
    const uids = Array.from({ length: 5 }, (_, i) => `u${i}`);
    const { batcher, writes, announced, holdWrites } = setup({ members: uids, maxBatch: 2 });
    const release = holdWrites();
    const first = batcher.read("g1", "u0", 1);
    const rest = uids.map((uid) => batcher.read("g1", uid, 10));
    release();
    await Promise.all([first, ...rest]);
    assert.deepEqual(
      writes.map((w) => w.length),
      [1, 2, 2, 1],
    );
    assert.equal(announced.length, 6);
    assert.deepEqual(new Set(announced.slice(1).map((m) => m.uid)), new Set(uids));
  });
});
