import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { QueryClient } from "@tanstack/react-query";
import type { MessageRevokedEvent, WireMessage } from "@/lib/contracts/chat";
import { applyLiveEvent, type ChatMessage, type MessagePage, queryKeys, upsertMessages } from "./message-cache";

// Big ids on purpose: beyond 2^53 they only survive as strings.
const ID = (n: number) => `18937492827371520${String(n).padStart(2, "0")}`;

function message(seq: number, over: Partial<WireMessage> = {}): WireMessage {
  return {
    message_id: ID(seq),
    client_msg_no: `c${seq}`,
    message_seq: seq,
    channel_id: "g1",
    channel_type: 2,
    from_uid: "alice",
    timestamp: 1_790_000_000 + seq,
    payload: { type: 1, content: `hello ${seq}` },
    revoked: false,
    revoked_by: null,
    revoked_at: null,
    ...over,
  };
}

/** The chat's cache with conversation g1 open at the given messages, and the channel list loaded. */
function openChat(messages: ChatMessage[]) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY } } });
  client.setQueryData<MessagePage>(queryKeys.messages("g1"), { messages, more: false, version: "0" });
  client.setQueryData(queryKeys.channels, []);
  const page = () => client.getQueryData<MessagePage>(queryKeys.messages("g1"));
  const shown = () => page()?.messages.map((m) => `${m.message_seq}${m.pending ? " pending" : ""}${m.revoked ? " revoked" : ""}`);
  const channelsStale = () => client.getQueryState(queryKeys.channels)?.isInvalidated ?? false;
  return { client, page, shown, channelsStale };
}

function revoked(seq: number, by = "alice"): MessageRevokedEvent {
  return {
    message_id: ID(seq),
    channel_id: "g1",
    channel_type: 2,
    message_seq: seq,
    revoked_by: by,
    revoked_at: "2026-11-30T12:00:00.000Z",
    notice: { type: 1006, message_id: ID(seq), content: `${by} recalled a message`, extra: [] },
  };
}

describe("client message cache: live events", () => {
  test("message:new shows the message once, in seq order, and the channel list refetches its unread counts", () => {
    const { client, shown, channelsStale } = openChat([message(1), message(3)]);
    applyLiveEvent.messageNew(client, message(2));
    assert.deepEqual(shown(), ["1", "2", "3"]);
    assert.equal(channelsStale(), true);
  });

  test("the same message:new twice (a reconnect's catch-up, two instances) is shown once", () => {
    const { client, shown } = openChat([message(1)]);
    applyLiveEvent.messageNew(client, message(2));
    applyLiveEvent.messageNew(client, message(2));
    assert.deepEqual(shown(), ["1", "2"]);
  });

  test("the server's copy of this device's pending send replaces it: one message, confirmed, in its place", () => {
    const { client, page, shown } = openChat([message(1)]);
    client.setQueryData<MessagePage>(queryKeys.messages("g1"), (p) =>
      p
        ? upsertMessages(p, [{ ...message(0), message_id: "", client_msg_no: "mine", message_seq: Number.MAX_SAFE_INTEGER, pending: true }])
        : p,
    );
    applyLiveEvent.messageNew(client, message(2));
    assert.deepEqual(shown(), ["1", "2", `${Number.MAX_SAFE_INTEGER} pending`], "a pending send stays below the confirmed ones");
    applyLiveEvent.messageNew(client, message(3, { client_msg_no: "mine" }));
    assert.deepEqual(shown(), ["1", "2", "3"]);
    assert.equal(page()?.messages[2].message_id, ID(3));
  });

  test("a message for a conversation not open leaves no half page behind", () => {
    const { client, channelsStale } = openChat([message(1)]);
    applyLiveEvent.messageNew(client, message(1, { channel_id: "g2" }));
    assert.equal(client.getQueryData(queryKeys.messages("g2")), undefined);
    assert.equal(channelsStale(), true, "the list must still learn of the unread message");
  });

  test("message:revoked recalls the message: no content, who and when, no recall window left", () => {
    const { client, page, shown, channelsStale } = openChat([message(1), message(2, { revocable_until: "2026-11-30T12:02:00.000Z" })]);
    applyLiveEvent.messageRevoked(client, revoked(2, "bob"));
    assert.deepEqual(shown(), ["1", "2 revoked"]);
    const m = page()?.messages[1];
    assert.equal(m?.payload, null);
    assert.equal(m?.revoked_by, "bob");
    assert.equal(m?.revoked_at, "2026-11-30T12:00:00.000Z");
    assert.equal(m?.revocable_until, undefined);
    assert.deepEqual(page()?.messages[0].payload, { type: 1, content: "hello 1" }, "another message was touched");
    assert.equal(channelsStale(), true, "the list's last message preview must refetch");
  });

  test("a recalled message stays recalled when an older copy arrives after the revoke (catch-up, late delivery)", () => {
    const { client, page, shown } = openChat([message(1)]);
    applyLiveEvent.messageRevoked(client, revoked(1));
    applyLiveEvent.messageNew(client, message(1));
    assert.deepEqual(shown(), ["1 revoked"]);
    assert.equal(page()?.messages[0].payload, null, "the recalled content came back");
  });

  test("receipts:update sets the exact counts on the messages it names, and leaves the others' as they were", () => {
    const { client, page } = openChat([message(1), message(2, { read_count: 1, unread_count: 2 }), message(3)]);
    applyLiveEvent.receiptsUpdate(client, {
      channel_id: "g1",
      items: [
        { message_id: ID(3), message_seq: 3, read_count: 2, unread_count: 1 },
        { message_id: ID(1), message_seq: 1, read_count: 3, unread_count: 0 },
      ],
    });
    assert.deepEqual(
      page()?.messages.map((m) => [m.message_seq, m.read_count, m.unread_count]),
      [
        [1, 3, 0],
        [2, 1, 2],
        [3, 2, 1],
      ],
    );
    applyLiveEvent.receiptsUpdate(client, {
      channel_id: "g1",
      items: [{ message_id: ID(3), message_seq: 3, read_count: 3, unread_count: 0 }],
    });
    assert.deepEqual([page()?.messages[2].read_count, page()?.messages[2].unread_count], [3, 0]);
  });

  test("counts survive the message arriving again without counts (a live message:new carries none)", () => {
    const { client, page } = openChat([message(1)]);
    applyLiveEvent.receiptsUpdate(client, {
      channel_id: "g1",
      items: [{ message_id: ID(1), message_seq: 1, read_count: 1, unread_count: 2 }],
    });
    applyLiveEvent.messageNew(client, message(1));
    assert.deepEqual([page()?.messages[0].read_count, page()?.messages[0].unread_count], [1, 2]);
  });
});
