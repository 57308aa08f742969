import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { CHANNEL_TYPE } from "@/lib/contracts/enums";
import { channelKey, personChannelId, personMembers, SYSTEM_UID } from "./channel-key";

const person = CHANNEL_TYPE.person;

describe("person channel ids (WuKongIM's fake channel id)", () => {
  test("the uid with the greater CRC-32 comes first, whoever opens the chat", () => {
    // crc32("bob") = 4123767104 > crc32("alice") = 663665735, as Go's crc32.ChecksumIEEE gives them.
    assert.equal(personChannelId("alice", "bob"), "bob@alice");
    assert.equal(personChannelId("bob", "alice"), "bob@alice");
  });

  test("a CRC-32 tie puts the byte-wise greater uid first, from both sides", () => {
    // crc32("plumless") = crc32("buckeroo") = 1306201125.
    assert.equal(personChannelId("plumless", "buckeroo"), "plumless@buckeroo");
    assert.equal(personChannelId("buckeroo", "plumless"), "plumless@buckeroo");
  });

  test("the tie rule compares UTF-8 bytes as Go does, not JavaScript's UTF-16 units", () => {
    // Both hash to 2968174955. In UTF-8 😀 (F0 9F …) is greater than ｡ (EF BD A1);
    // in UTF-16 the emoji's surrogate D83D is smaller than FF61, so `<` would put them the other way.
    const halfwidth = "\uFF61QrgntDr";
    const emoji = "\u{1F600}e2YfJc2";
    assert.equal(personChannelId(halfwidth, emoji), `${emoji}@${halfwidth}`);
    assert.equal(personChannelId(emoji, halfwidth), `${emoji}@${halfwidth}`);
  });

  test("any two uids share one id, whichever side computes it", () => {
    const uid = fc.string({ minLength: 1, maxLength: 12, unit: "grapheme" }).filter((s) => !s.includes("@"));
    fc.assert(
      fc.property(uid, uid, (a, b) => {
        const id = personChannelId(a, b);
        assert.equal(personChannelId(b, a), id);
        assert.ok(id === `${a}@${b}` || id === `${b}@${a}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the channel a WuKongIM message is stored under", () => {
  test("a group message keeps its channel id", () => {
    assert.equal(channelKey({ channelType: CHANNEL_TYPE.group, channelId: "team", fromUid: "alice" }), "team");
  });

  test("a person message addressed to the recipient lands in the pair's channel, from either side", () => {
    assert.equal(channelKey({ channelType: person, channelId: "bob", fromUid: "alice" }), "bob@alice");
    assert.equal(channelKey({ channelType: person, channelId: "alice", fromUid: "bob" }), "bob@alice");
  });

  test("a fake id already in either order lands in the same channel", () => {
    assert.equal(channelKey({ channelType: person, channelId: "alice@bob", fromUid: "alice" }), "bob@alice");
    assert.equal(channelKey({ channelType: person, channelId: "bob@alice", fromUid: "" }), "bob@alice");
  });

  test("a system message to a person (from_uid empty) is keyed with the system uid, the same as its offline copy", () => {
    const notify = channelKey({ channelType: person, channelId: "alice", fromUid: "" });
    const offline = channelKey({ channelType: person, channelId: "alice", fromUid: SYSTEM_UID });
    assert.equal(notify, personChannelId(SYSTEM_UID, "alice"));
    assert.equal(offline, notify);
    assert.deepEqual(personMembers(notify), ["alice"], "the system is not a member");
  });

  test("the system's own channel is not rewritten", () => {
    assert.equal(channelKey({ channelType: person, channelId: SYSTEM_UID, fromUid: "alice" }), SYSTEM_UID);
  });

  test("a person channel's members are its two people", () => {
    assert.deepEqual(personMembers("bob@alice").sort(), ["alice", "bob"]);
  });
});
