import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { drizzle } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { issueBearerToken } from "@/lib/auth/tokens";
import { purgeReadEvents } from "@/lib/db/queries/receipts";
import { Client, sleep } from "./support/clients";
import { withServer } from "./support/harness";
import { openSql, withSql } from "./support/sql";

const FLUSH_MS = 250;
const AUTH_SECRET = "receipts-test-secret-0123456789abcdef";
process.env.AUTH_SECRET = AUTH_SECRET;
const ctx = withServer({ RECEIPT_FLUSH_MS: String(FLUSH_MS), AUTH_SECRET });

const sql = <T>(fn: (s: postgres.Sql) => Promise<T>) => withSql(ctx.db.url, fn);

const countsOf = async (c: Client, channelId: string) => {
  const res = await c.get(`/api/channels/${channelId}/messages`);
  return Object.fromEntries(
    res.body.messages.map((m: { payload: { content: string }; read_count: number; unread_count: number }) => [
      m.payload.content,
      [m.read_count, m.unread_count],
    ]),
  );
};

describe("read receipts", () => {
  test("exact counts with members joining later and leaving; lists match counts", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const dave = await Client.login(ctx.url, "dave");
    const carol = await Client.login(ctx.url, "carol");
    const { body: ch } = await alice.post("/api/channels", { name: "Counts", members: ["bob", "carol"] });
    const id = ch.channel_id;
    const m1 = (await alice.send(id, "m1")).body.message;
    assert.deepEqual([m1.read_count, m1.unread_count], [0, 2]);
    await alice.post(`/api/channels/${id}/members`, { uids: ["dave"] });
    const m2 = (await alice.send(id, "m2")).body.message;
    await carol.request("DELETE", `/api/channels/${id}/members/carol`);
    const m3 = (await alice.send(id, "m3")).body.message;

    // Carol left without reading m1 and m2: she is out of their unread lists (dave only counts from m2 on).
    assert.deepEqual(await countsOf(alice, id), { m1: [0, 1], m2: [0, 2], m3: [0, 2] });
    assert.deepEqual((await bob.post(`/api/channels/${id}/read`, { message_seq: 3 })).body, { channel_id: id, last_read_seq: 3 });
    await dave.post(`/api/channels/${id}/read`, { message_seq: 2 });
    // m1: bob read; m2: bob, dave read; m3: bob read, dave unread.
    assert.deepEqual(await countsOf(alice, id), { m1: [1, 0], m2: [2, 0], m3: [1, 1] });

    const r2 = await alice.get(`/api/messages/${m2.message_id}/receipts`);
    assert.equal(r2.status, 200);
    assert.equal(r2.body.read_count, 2);
    assert.equal(r2.body.unread_count, 0);
    assert.deepEqual(r2.body.read.map((r: { uid: string }) => r.uid).sort(), ["bob", "dave"]);
    assert.ok(r2.body.read.every((r: { read_at: string }) => !Number.isNaN(Date.parse(r.read_at))));
    assert.deepEqual(r2.body.unread, []);
    const r3 = await alice.get(`/api/messages/${m3.message_id}/receipts`);
    assert.deepEqual(r3.body.unread, [{ uid: "dave", name: "Dave" }]);
    // An ordinary member gets neither the lists nor the counts: a few counts
    // taken as others read would tell who read up to where.
    const asBob = await bob.get(`/api/messages/${m3.message_id}/receipts`);
    assert.deepEqual([asBob.status, asBob.body.error?.code, asBob.body.read_count], [403, "not_allowed", undefined]);
  });

  test("a stranger asking about a message of a DM learns not whose DM it is", async () => {
    const [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map((u) => Client.login(ctx.url, u)));
    const dm = (await alice.post("/api/channels/direct", { uid: "bob" })).body.channel_id as string;
    const m = (await alice.send(dm, "just us")).body.message;
    await bob.post(`/api/channels/${dm}/read`, { message_seq: m.message_seq });
    const res = await carol.get(`/api/messages/${m.message_id}/receipts`);
    assert.deepEqual([res.status, res.body.error], [403, { code: "not_a_member", message: "You are not a member of this conversation." }]);
    assert.ok(!JSON.stringify(res.body).includes(dm));
  });

  test("the cursor only moves forward, and never past the latest message", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body: ch } = await alice.post("/api/channels", { name: "Cursor", members: ["bob"] });
    for (const t of ["a", "b", "c"]) await alice.send(ch.channel_id, t);
    assert.equal((await bob.post(`/api/channels/${ch.channel_id}/read`, { message_seq: 2 })).body.last_read_seq, 2);
    assert.equal((await bob.post(`/api/channels/${ch.channel_id}/read`, { message_seq: 1 })).body.last_read_seq, 2);
    assert.equal((await bob.post(`/api/channels/${ch.channel_id}/read`, { message_seq: 1_000_000 })).body.last_read_seq, 3);
    const list = await bob.get("/api/channels");
    const entry = list.body.channels.find((c: { channel_id: string }) => c.channel_id === ch.channel_id);
    assert.equal(entry.last_read_seq, 3);
    assert.equal(entry.unread_count, 0);
    const events = await sql(
      (s) => s`select from_seq::int, to_seq::int from read_events where channel_id = ${ch.channel_id} and uid = 'bob' order by id`,
    );
    assert.deepEqual(
      events.map((e) => [e.from_seq, e.to_seq]),
      [
        [0, 2],
        [2, 3],
      ],
    );
  });

  test("unread counts are exact and the reader's other devices follow the cursor", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body: ch } = await alice.post("/api/channels", { name: "Unread", members: ["bob"] });
    for (const t of ["1", "2", "3", "4"]) await alice.send(ch.channel_id, t);
    const third = (await alice.get(`/api/channels/${ch.channel_id}/messages`)).body.messages[2].message_id;
    await alice.post(`/api/messages/${third}/revoke`);
    const unread = async () =>
      (await bob.get("/api/channels")).body.channels.find((c: { channel_id: string }) => c.channel_id === ch.channel_id).unread_count;
    assert.equal(await unread(), 3, "a recalled message is not unread");
    const [phone, laptop] = await Promise.all([bob.connect(), bob.connect()]);
    try {
      const ack = await phone.socket.emitWithAck("read", { channel_id: ch.channel_id, message_seq: 2 });
      assert.deepEqual(ack, { ok: true, channel_id: ch.channel_id, last_read_seq: 2 });
      const e = await laptop.waitFor("channel:read", (e) => e.channel_id === ch.channel_id);
      assert.deepEqual(e, { channel_id: ch.channel_id, uid: "bob", last_read_seq: 2 });
      assert.equal(await unread(), 1);
      const bad = await phone.socket.emitWithAck("read", { channel_id: ch.channel_id, message_seq: -5 });
      assert.equal(bad.ok, false);
      const foreign = await phone.socket.emitWithAck("read", { channel_id: "nope", message_seq: 1 });
      assert.deepEqual(foreign.ok ? null : foreign.error.code, "channel_not_found");
    } finally {
      phone.close();
      laptop.close();
    }
  });

  test("200 readers within one second: at most ⌈1000/RECEIPT_FLUSH_MS⌉ + 2 updates to the sender, the last one exact", async () => {
    const N = 200;
    const uids = Array.from({ length: N }, (_, i) => `reader${i}`);
    await sql(async (s) => {
      const [{ password_hash }] = await s`select password_hash from users where uid = 'bob'`;
      await s`insert into users ${s(uids.map((uid) => ({ uid, name: uid, password_hash, role: "user" })))}`;
    });
    const alice = await Client.login(ctx.url, "alice");
    const { body: ch } = await alice.post("/api/channels", { name: "Storm", members: uids });
    const sent = (await alice.send(ch.channel_id, "read me, all of you")).body.message;
    assert.equal(sent.unread_count, N);
    const readers = await Promise.all(uids.map(async (uid) => new Client(ctx.url, uid, await issueBearerToken({ uid, role: "user" }))));
    const [s1, s2] = await Promise.all([alice.connect(), alice.connect()]);
    try {
      const started = Date.now();
      await Promise.all(
        readers.map(async (r, i) => {
          await sleep(Math.floor((i / N) * 1000));
          const res = await r.post(`/api/channels/${ch.channel_id}/read`, { message_seq: sent.message_seq });
          assert.equal(res.status, 200);
        }),
      );
      const span = Date.now() - started;
      for (const s of [s1, s2]) {
        const last = await s.waitFor("receipts:update", (e) => e.items.some((i: { read_count: number }) => i.read_count === N), 10_000);
        assert.deepEqual(last.items, [{ message_id: sent.message_id, message_seq: sent.message_seq, read_count: N, unread_count: 0 }]);
        await sleep(FLUSH_MS * 2);
        const updates = s.of("receipts:update").filter((e) => e.channel_id === ch.channel_id);
        const bound = Math.ceil(Math.max(span, 1000) / FLUSH_MS) + 2;
        assert.ok(updates.length <= bound, `${updates.length} updates in ${span} ms, bound ${bound}`);
        assert.ok(updates.length >= 2, "counts were pushed while reads arrived");
        assert.equal(updates.at(-1).items[0].read_count, N);
      }
      const receipts = await alice.get(`/api/messages/${sent.message_id}/receipts`);
      assert.equal(receipts.body.read.length, N);
      assert.equal(receipts.body.unread.length, 0);
    } finally {
      s1.close();
      s2.close();
    }
  });

  test("replying counts as reading: the sender's counts follow a reply", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body: ch } = await alice.post("/api/channels", { name: "Reply", members: ["bob"] });
    const socket = await alice.connect();
    try {
      const m1 = (await alice.send(ch.channel_id, "question?")).body.message;
      await bob.send(ch.channel_id, "answer!");
      const e = await socket.waitFor("receipts:update", (e) => e.channel_id === ch.channel_id);
      assert.deepEqual(e.items, [{ message_id: m1.message_id, message_seq: 1, read_count: 1, unread_count: 0 }]);
    } finally {
      socket.close();
    }
  });

  test("read events past the retention are purged; cursors and counts stay", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body: ch } = await alice.post("/api/channels", { name: "Retention", members: ["bob"] });
    const m = (await alice.send(ch.channel_id, "old news")).body.message;
    await bob.post(`/api/channels/${ch.channel_id}/read`, { message_seq: m.message_seq });
    const s = openSql(ctx.db.url);
    try {
      await s`update read_events set read_at = now() - interval '400 days' where channel_id = ${ch.channel_id}`;
      const purged = await purgeReadEvents({ db: drizzle(s) as never, olderThanDays: 90, at: new Date() });
      assert.ok(purged >= 1);
      const [{ n }] = await s`select count(*)::int as n from read_events where channel_id = ${ch.channel_id}`;
      assert.equal(n, 0);
    } finally {
      await s.end();
    }
    const r = await alice.get(`/api/messages/${m.message_id}/receipts`);
    assert.equal(r.body.read_count, 1);
    assert.equal(r.body.read[0].uid, "bob");
  });

  test("a channel with receipts off computes, pushes and lists no counts", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body: ch } = await alice.post("/api/channels", { name: "Private reads", members: ["bob"] });
    assert.equal((await bob.request("PATCH", `/api/channels/${ch.channel_id}/settings`, { receipts: false })).status, 403);
    assert.equal((await alice.request("PATCH", `/api/channels/${ch.channel_id}/settings`, { receipts: false })).status, 200);
    const socket = await alice.connect();
    try {
      const sent = (await alice.send(ch.channel_id, "no receipts")).body.message;
      assert.equal(sent.read_count, undefined);
      await bob.post(`/api/channels/${ch.channel_id}/read`, { message_seq: sent.message_seq });
      const history = await alice.get(`/api/channels/${ch.channel_id}/messages`);
      assert.equal(history.body.messages[0].read_count, undefined);
      const r = await alice.get(`/api/messages/${sent.message_id}/receipts`);
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, "receipts_disabled");
      await sleep(FLUSH_MS * 3);
      assert.equal(socket.of("receipts:update").filter((e) => e.channel_id === ch.channel_id).length, 0);
      // Unread state still works for the reader.
      const list = await bob.get("/api/channels");
      assert.equal(list.body.channels.find((c: { channel_id: string }) => c.channel_id === ch.channel_id).unread_count, 0);
    } finally {
      socket.close();
    }
  });
});
