import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { IoSocket } from "@/lib/realtime/io";
import { NoticeRecovery } from "./recovery";

/** A connected socket as NoticeRecovery sees it: its device id, and what it was sent. */
function socket(device?: string) {
  const got: { event: string; payload: unknown }[] = [];
  const s = { data: { uid: "bob", role: "user", device }, emit: (event: string, payload: unknown) => got.push({ event, payload }) };
  return { s: s as unknown as IoSocket, got };
}

const notices = [
  { topic: "message:revoked", channelId: "g1", payload: { message_id: "1" } },
  { topic: "message:revoked", channelId: "g1", payload: { message_id: "2" } },
  { topic: "message:revoked", channelId: "g2", payload: { message_id: "3" } },
];

describe("notice recovery (notices a crashed process committed but never sent)", () => {
  test("a reconnecting device gets the missed notices of its own channels, in order, once however often it reconnects", () => {
    let t = 0;
    const recovery = new NoticeRecovery(notices, 60_000, () => t);
    const first = socket("laptop");
    recovery.deliver(first.s, ["g1"]);
    assert.deepEqual(
      first.got.map((g) => (g.payload as { message_id: string }).message_id),
      ["1", "2"],
    );
    t += 1000;
    const again = socket("laptop");
    recovery.deliver(again.s, ["g1", "g2"]);
    assert.deepEqual(
      again.got.map((g) => (g.payload as { message_id: string }).message_id),
      ["3"],
      "only what this device has not had",
    );
    const phone = socket("phone");
    recovery.deliver(phone.s, ["g1"]);
    assert.equal(phone.got.length, 2, "another device of the same user gets them too");
  });

  test("after the recovery window a connecting socket gets nothing", () => {
    let t = 0;
    const recovery = new NoticeRecovery(notices, 60_000, () => t);
    t = 60_001;
    const late = socket("tablet");
    recovery.deliver(late.s, ["g1", "g2"]);
    assert.deepEqual(late.got, []);
  });
});
