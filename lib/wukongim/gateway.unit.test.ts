import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { CHANNEL_TYPE } from "@/lib/contracts/enums";
import { channelKey, personChannelId } from "./channel-key";
import { wukongimChannelId } from "./gateway";

const person = CHANNEL_TYPE.person;

describe("WuKongIM addresses (what imdesk sends to)", () => {
  test("a person chat is addressed by the other party's uid, from either side", () => {
    assert.equal(wukongimChannelId("bob@alice", person, "alice"), "bob");
    assert.equal(wukongimChannelId("bob@alice", person, "bob"), "alice");
  });

  test("a group, and a person id that is already a uid, are sent as they are", () => {
    assert.equal(wukongimChannelId("team", CHANNEL_TYPE.group, "alice"), "team");
    assert.equal(wukongimChannelId("a@b", CHANNEL_TYPE.group, "a"), "a@b");
    assert.equal(wukongimChannelId("bob", person, "alice"), "bob");
  });

  test("what imdesk sends to comes back (msg.notify) under the channel it was sent from, for any pair", () => {
    const uid = fc.string({ minLength: 1, maxLength: 12, unit: "grapheme" }).filter((s) => !s.includes("@"));
    fc.assert(
      fc.property(uid, uid, fc.boolean(), (a, b, aSends) => {
        fc.pre(a !== b);
        const stored = personChannelId(a, b);
        const from = aSends ? a : b;
        const to = wukongimChannelId(stored, person, from);
        assert.equal(to, aSends ? b : a, "a chat was addressed to the sender");
        assert.equal(channelKey({ channelType: person, channelId: to, fromUid: from }), stored);
      }),
      { numRuns: 2000 },
    );
  });
});
