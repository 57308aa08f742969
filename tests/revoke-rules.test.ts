import assert from "node:assert/strict";
import { test } from "node:test";
import { decideRevoke, type RevokeFacts } from "@/lib/shared/recall-rules";

const sentAt = new Date("2026-01-01T00:00:00Z");
const base: RevokeFacts = {
  actorUid: "alice",
  actorSystemRole: "user",
  actorChannelRole: "member",
  senderUid: "alice",
  senderChannelRole: "member",
  sentAt,
  now: new Date(sentAt.getTime() + 60_000),
  windowSeconds: 120,
};
const late = new Date(sentAt.getTime() + 121_000);

const matrix: [string, Partial<RevokeFacts>, ReturnType<typeof decideRevoke>][] = [
  ["sender inside the window", {}, { allowed: true, rule: "sender" }],
  ["sender exactly at the window's end", { now: new Date(sentAt.getTime() + 120_000) }, { allowed: true, rule: "sender" }],
  ["sender past the window", { now: late }, { allowed: false, code: "revoke_window_expired" }],
  [
    "sender who left the channel, late",
    { actorChannelRole: undefined, senderChannelRole: undefined, now: late },
    { allowed: false, code: "not_a_member" },
  ],
  ["sender who left the channel", { actorChannelRole: undefined, senderChannelRole: undefined }, { allowed: false, code: "not_a_member" }],
  ["other member", { actorUid: "bob" }, { allowed: false, code: "not_allowed" }],
  ["stranger (not a member)", { actorUid: "eve", actorChannelRole: undefined }, { allowed: false, code: "not_a_member" }],
  [
    "channel owner, member's message, late",
    { actorUid: "olga", actorChannelRole: "owner", now: late },
    { allowed: true, rule: "channel_owner" },
  ],
  [
    "channel owner, channel admin's message",
    { actorUid: "olga", actorChannelRole: "owner", senderChannelRole: "admin" },
    { allowed: true, rule: "channel_owner" },
  ],
  [
    "channel owner, own message past the window",
    { actorChannelRole: "owner", senderChannelRole: "owner", now: late },
    { allowed: true, rule: "channel_owner" },
  ],
  [
    "channel admin, member's message, late",
    { actorUid: "adam", actorChannelRole: "admin", now: late },
    { allowed: true, rule: "channel_admin" },
  ],
  [
    "channel admin, message of someone who left",
    { actorUid: "adam", actorChannelRole: "admin", senderChannelRole: undefined },
    { allowed: true, rule: "channel_admin" },
  ],
  [
    "channel admin, owner's message",
    { actorUid: "adam", actorChannelRole: "admin", senderChannelRole: "owner" },
    { allowed: false, code: "not_allowed" },
  ],
  [
    "channel admin, other admin's message",
    { actorUid: "adam", actorChannelRole: "admin", senderChannelRole: "admin" },
    { allowed: false, code: "not_allowed" },
  ],
  [
    "system admin, not a member, late",
    { actorUid: "root", actorSystemRole: "admin", actorChannelRole: undefined, now: late },
    { allowed: true, rule: "system_admin" },
  ],
  [
    "system admin, owner's message",
    { actorUid: "root", actorSystemRole: "admin", actorChannelRole: "member", senderChannelRole: "owner" },
    { allowed: true, rule: "system_admin" },
  ],
  ["system admin, own message in the window", { actorSystemRole: "admin" }, { allowed: true, rule: "sender" }],
  [
    "window of 0 seconds, one ms later",
    { windowSeconds: 0, now: new Date(sentAt.getTime() + 1) },
    { allowed: false, code: "revoke_window_expired" },
  ],
  ["clock behind the message (sent 'in the future')", { now: new Date(sentAt.getTime() - 5_000) }, { allowed: true, rule: "sender" }],
];

for (const [name, facts, expected] of matrix) {
  test(`revoke rules: ${name}`, () => {
    assert.deepEqual(decideRevoke({ ...base, ...facts }), expected);
  });
}
