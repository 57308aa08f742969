import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type postgres from "postgres";
import { Client } from "./support/clients";
import { withServer } from "./support/harness";
import { withSql } from "./support/sql";

const ctx = withServer({ REVOKE_WINDOW_SECONDS: "120" });

const sql = <T>(fn: (s: postgres.Sql) => Promise<T>) => withSql(ctx.db.url, fn);

/** A message sent an hour ago (past any sender's window), written as the store would hold it. */
async function oldMessage(channelId: string, fromUid: string) {
  const id = `${BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000))}`;
  await sql(async (s) => {
    const [{ seq }] =
      await s`update channels set last_message_seq = last_message_seq + 1 where channel_id = ${channelId} returning last_message_seq::int as seq`;
    await s`insert into messages (channel_id, message_seq, message_id, client_msg_no, from_uid, channel_type, sent_at, payload)
            values (${channelId}, ${seq}, ${id}, ${`old-${id}`}, ${fromUid}, 2, now() - interval '1 hour', ${s.json({ type: 1, content: "old" })})`;
    return [];
  });
  return id;
}

describe("revoke", () => {
  test("the sender recalls; every member device hears it once, the revoker's other device too", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body: ch } = await alice.post("/api/channels", { name: "Recall", members: ["bob"] });
    const sockets = await Promise.all([alice.connect(), alice.connect(), bob.connect()]);
    try {
      const sent = await alice.send(ch.channel_id, "oops");
      const id = sent.body.message.message_id;
      assert.ok(Date.parse(sent.body.message.revocable_until) > Date.now());

      const res = await alice.post(`/api/messages/${id}/revoke`, { reason: "typo" });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body).sort(), ["channel_id", "message_id", "revoked_at", "revoked_by"]);
      assert.equal(res.body.revoked_by, "alice");
      assert.equal(res.body.channel_id, ch.channel_id);

      for (const s of sockets) {
        const e = await s.waitFor("message:revoked", (e) => e.message_id === id);
        assert.equal(e.channel_id, ch.channel_id);
        assert.equal(e.channel_type, 2);
        assert.equal(e.revoked_by, "alice");
        assert.equal(e.revoked_at, res.body.revoked_at);
        assert.deepEqual(e.notice, {
          type: 1006,
          message_id: id,
          content: "{0} recalled a message",
          extra: [{ uid: "alice", name: "Alice" }],
        });
      }
      const history = await bob.get(`/api/channels/${ch.channel_id}/messages`);
      const m = history.body.messages.find((x: { message_id: string }) => x.message_id === id);
      assert.equal(m.revoked, true);
      assert.equal(m.payload, null);
      assert.equal(m.revoked_by, "alice");
      assert.equal(m.revoked_at, res.body.revoked_at);
      // The content is kept for the audit, never served to chat clients.
      const [row] = await sql((s) => s`select payload from messages where message_id = ${id}`);
      assert.deepEqual(row.payload, { type: 1, content: "oops" });
      const [rec] = await sql((s) => s`select rule, reason, sender_uid from revocations where message_id = ${id}`);
      assert.deepEqual({ ...rec }, { rule: "sender", reason: "typo", sender_uid: "alice" });
    } finally {
      for (const s of sockets) s.close();
    }
  });

  test("50 concurrent revokes: one record, identical answers, one notice per socket", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const admin = await Client.login(ctx.url, "admin");
    const bob = await Client.login(ctx.url, "bob");
    const sockets = await Promise.all([alice.connect(), bob.connect(), bob.connect()]);
    try {
      const sent = await alice.send("general", "contested");
      const id = sent.body.message.message_id;
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? alice : admin).post(`/api/messages/${id}/revoke`)));
      assert.ok(answers.every((a) => a.status === 200));
      assert.equal(new Set(answers.map((a) => JSON.stringify(a.body))).size, 1);
      const [{ n }] = await sql((s) => s`select count(*)::int as n from revocations where message_id = ${id}`);
      assert.equal(n, 1);
      await Promise.all(sockets.map((s) => s.waitFor("message:revoked", (e) => e.message_id === id)));
      // A later message proves the channel is flushed; the revoke notice must not repeat.
      const marker = await alice.send("general", "after");
      await Promise.all(sockets.map((s) => s.waitFor("message:new", (m) => m.message_id === marker.body.message.message_id)));
      for (const s of sockets) assert.equal(s.of("message:revoked").filter((e) => e.message_id === id).length, 1);
      const again = await alice.post(`/api/messages/${id}/revoke`);
      assert.deepEqual(again.body, answers[0].body);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  test("unknown message → 404 message_not_found", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const res = await alice.post("/api/messages/1234567890123456789/revoke");
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "message_not_found");
  });

  test("not signed in → 401", async () => {
    const res = await fetch(`${ctx.url}/api/messages/1234567890123456789/revoke`, { method: "POST" });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, "unauthenticated");
  });

  test("the rules on the server: window, owner, channel admin, system admin, others", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const carol = await Client.login(ctx.url, "carol");
    const dave = await Client.login(ctx.url, "dave");
    const admin = await Client.login(ctx.url, "admin");
    // alice owns the group; carol is made a channel admin.
    const { body: ch } = await alice.post("/api/channels", { name: "Rules", members: ["bob", "carol"] });
    await sql((s) => s`update channel_members set role = 'admin' where channel_id = ${ch.channel_id} and uid = 'carol'`);

    const late = await oldMessage(ch.channel_id, "bob");
    let res = await bob.post(`/api/messages/${late}/revoke`);
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "revoke_window_expired");

    const fresh = (await bob.send(ch.channel_id, "fresh")).body.message.message_id;
    res = await carol.post(`/api/messages/${fresh}/revoke`);
    assert.equal(res.status, 200, "channel admin on a member's message");

    const ownerMsg = await oldMessage(ch.channel_id, "alice");
    res = await carol.post(`/api/messages/${ownerMsg}/revoke`);
    assert.equal(res.status, 403, "channel admin on the owner's message");
    assert.equal(res.body.error.code, "not_allowed");

    res = await bob.post(`/api/messages/${ownerMsg}/revoke`);
    assert.equal(res.status, 403, "member on another's message");
    assert.equal(res.body.error.code, "not_allowed");

    res = await dave.post(`/api/messages/${ownerMsg}/revoke`);
    assert.equal(res.status, 403, "stranger");
    // The true reason, naming no channel the stranger was not told of.
    assert.deepEqual(res.body.error, { code: "not_a_member", message: "You are not a member of this conversation." });

    res = await admin.post(`/api/messages/${ownerMsg}/revoke`);
    assert.equal(res.status, 200, "system admin, not a member");

    // A sender who left, inside the window: no longer a member, which is the reason (not "only the sender…").
    const parting = (await bob.send(ch.channel_id, "bye")).body.message.message_id;
    assert.equal((await bob.request("DELETE", `/api/channels/${ch.channel_id}/members/bob`)).status, 200);
    res = await bob.post(`/api/messages/${parting}/revoke`);
    assert.deepEqual(
      [res.status, res.body.error?.code, res.body.error?.message],
      [403, "not_a_member", "You are not a member of this conversation."],
    );

    const late2 = await oldMessage(ch.channel_id, "bob");
    res = await alice.post(`/api/messages/${late2}/revoke`);
    assert.equal(res.status, 200, "owner, any time");

    const rules = await sql((s) => s`select message_id, rule from revocations where channel_id = ${ch.channel_id} order by version`);
    assert.deepEqual(
      rules.map((r) => r.rule),
      ["channel_admin", "system_admin", "channel_owner"],
    );
    // Already revoked: a caller who may revoke gets the record; one who may not still gets 403.
    assert.equal((await alice.post(`/api/messages/${fresh}/revoke`)).status, 200);
    assert.equal((await dave.post(`/api/messages/${fresh}/revoke`)).status, 403);
  });

  test("a device that was offline learns revokes from history and from the change feed", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const carol = await Client.login(ctx.url, "carol");
    const { body: ch } = await alice.post("/api/channels", { name: "Offline", members: ["carol"] });
    await alice.send(ch.channel_id, "one");
    const before = await carol.get(`/api/channels/${ch.channel_id}/messages`);
    const version = before.body.version;
    const two = (await alice.send(ch.channel_id, "two")).body.message.message_id;
    const three = (await alice.send(ch.channel_id, "three")).body.message.message_id;
    await alice.post(`/api/messages/${three}/revoke`);
    await alice.post(`/api/messages/${two}/revoke`);

    const changes = await carol.get(`/api/channels/${ch.channel_id}/changes?since=${version}`);
    assert.equal(changes.status, 200);
    assert.deepEqual(
      changes.body.changes.map((c: { message_id: string; type: string }) => [c.type, c.message_id]),
      [
        ["message:revoked", three],
        ["message:revoked", two],
      ],
    );
    const none = await carol.get(`/api/channels/${ch.channel_id}/changes?since=${changes.body.version}`);
    assert.deepEqual(none.body.changes, []);
    assert.equal(none.body.version, changes.body.version);

    const history = await carol.get(`/api/channels/${ch.channel_id}/messages`);
    assert.deepEqual(
      history.body.messages.map((m: { revoked: boolean; payload: unknown }) => [m.revoked, m.payload]),
      [
        [false, { type: 1, content: "one" }],
        [true, null],
        [true, null],
      ],
    );
    const dave = await Client.login(ctx.url, "dave");
    assert.equal((await dave.get(`/api/channels/${ch.channel_id}/changes`)).status, 403);
  });
});
