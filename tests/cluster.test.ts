import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { issueBearerToken } from "@/lib/auth/tokens";
import { Client, sleep } from "./support/clients";
import type { TestDatabase } from "./support/database";
import { testStack } from "./support/harness";
import type { TestServer } from "./support/server";
import { openSql } from "./support/sql";

const AUTH_SECRET = "cluster-test-secret-0123456789abcdef";
process.env.AUTH_SECRET = AUTH_SECRET;
const FLUSH_MS = 250;
const stack = testStack();
let db: TestDatabase;
let a: TestServer;
let b: TestServer;

before(async () => {
  ({
    db,
    servers: [a, b],
  } = await stack.servers(2, { CLUSTER: "postgres", AUTH_SECRET, RECEIPT_FLUSH_MS: String(FLUSH_MS) }));
});

describe("two instances behind one database (CLUSTER=postgres)", () => {
  test("a message, a revoke and a read each reach the other instance's sockets", async () => {
    const aliceA = await Client.login(a.url, "alice");
    const bobB = await Client.login(b.url, "bob");
    const bobA = new Client(a.url, "bob", bobB.token);
    const [alice, bob, bobOther] = await Promise.all([aliceA.connect(), bobB.connect(), bobA.connect()]);
    try {
      const { body: ch } = await aliceA.post("/api/channels", { name: "Across", members: ["bob"] });
      await bob.waitFor("channel:updated", (e) => e.channel_id === ch.channel_id);
      const sent = (await aliceA.send(ch.channel_id, "from A")).body.message;
      assert.equal((await bob.waitFor("message:new", (m) => m.message_id === sent.message_id)).payload.content, "from A");

      const read = await bobB.post(`/api/channels/${ch.channel_id}/read`, { message_seq: sent.message_seq });
      assert.equal(read.status, 200);
      const counts = await alice.waitFor("receipts:update", (e) => e.channel_id === ch.channel_id && e.items[0]?.read_count === 1);
      assert.deepEqual(counts.items, [{ message_id: sent.message_id, message_seq: sent.message_seq, read_count: 1, unread_count: 0 }]);
      await bobOther.waitFor("channel:read", (e) => e.channel_id === ch.channel_id && e.last_read_seq === sent.message_seq);

      assert.equal((await aliceA.post(`/api/messages/${sent.message_id}/revoke`)).status, 200);
      const notice = await bob.waitFor("message:revoked", (e) => e.message_id === sent.message_id);
      assert.equal(notice.revoked_by, "alice");
    } finally {
      for (const s of [alice, bob, bobOther]) s.close();
    }
  });

  test("a removal on A reaches sockets still connecting on B: none of them gets another message of those channels", async () => {
    const aliceA = await Client.login(a.url, "alice");
    const racer = new Client(b.url, "carol", await issueBearerToken({ uid: "carol", role: "user" }));
    // Carol in many groups, so listing her channels on B takes a while; removals from G more on A,
    // spread over 200 connects on B.
    const fillers: string[] = [];
    for (let i = 0; i < 1000; i += 50) {
      const made = await Promise.all(
        Array.from({ length: 50 }, (_, j) => aliceA.post("/api/channels", { name: `Filler ${i + j}`, members: ["carol"] })),
      );
      fillers.push(...made.map((r) => r.body.channel_id));
    }
    const G = 20;
    const N = 200;
    const groups: string[] = [];
    for (let i = 0; i < G; i++)
      groups.push((await aliceA.post("/api/channels", { name: `Race ${i}`, members: ["carol"] })).body.channel_id);
    let connected = 0;
    const attempts = Array.from({ length: N }, () => racer.connect().finally(() => connected++));
    const removals = groups.map(async (id, i) => {
      while (connected < Math.round(((i + 1) * N) / (G + 2))) await sleep(1);
      assert.equal((await aliceA.delete(`/api/channels/${id}/members/carol`)).status, 200);
    });
    const sockets = await Promise.all(attempts);
    try {
      await Promise.all(removals);
      const secrets = new Set<string>();
      for (const id of groups) secrets.add((await aliceA.send(id, "carol must not see this")).body.message.message_id);
      const marker = (await aliceA.send(fillers[0], "marker")).body.message.message_id;
      await Promise.all(sockets.map((s) => s.waitFor("message:new", (m) => m.message_id === marker, 30_000)));
      const leaked = sockets.filter((s) => s.of("message:new").some((m) => secrets.has(m.message_id))).length;
      assert.equal(leaked, 0, `${leaked} of ${N} sockets on B received a message of a channel carol was removed from on A`);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  test("the coalescing bound holds with reads split across both instances", async () => {
    const N = 100;
    const uids = Array.from({ length: N }, (_, i) => `split${i}`);
    const s = openSql(db.url);
    try {
      const [{ password_hash }] = await s`select password_hash from users where uid = 'bob'`;
      await s`insert into users ${s(uids.map((uid) => ({ uid, name: uid, password_hash, role: "user" })))}`;
    } finally {
      await s.end();
    }
    const alice = await Client.login(a.url, "alice");
    const { body: ch } = await alice.post("/api/channels", { name: "Split", members: uids });
    const sent = (await alice.send(ch.channel_id, "read me from both sides")).body.message;
    const socket = await alice.connect();
    try {
      const started = Date.now();
      await Promise.all(
        uids.map(async (uid, i) => {
          const reader = new Client(i % 2 ? a.url : b.url, uid, await issueBearerToken({ uid, role: "user" }));
          await sleep(Math.floor((i / N) * 1000));
          assert.equal((await reader.post(`/api/channels/${ch.channel_id}/read`, { message_seq: sent.message_seq })).status, 200);
        }),
      );
      const span = Date.now() - started;
      await socket.waitFor("receipts:update", (e) => e.channel_id === ch.channel_id && e.items[0]?.read_count === N);
      await sleep(FLUSH_MS * 2);
      const updates = socket.of("receipts:update").filter((e) => e.channel_id === ch.channel_id);
      const bound = Math.ceil(Math.max(span, 1000) / FLUSH_MS) + 2;
      assert.ok(updates.length <= bound, `${updates.length} updates in ${span} ms, bound ${bound}`);
      assert.equal(updates.at(-1).items[0].read_count, N);
    } finally {
      socket.close();
    }
  });

  test("killing instance A mid-stream loses no outbox entry: B delivers, and bob's socket on B never notices", async () => {
    const aliceB = await Client.login(b.url, "alice");
    const aliceA = new Client(a.url, "alice", aliceB.token);
    const bob = await (await Client.login(b.url, "bob")).connect();
    let disconnected = false;
    bob.socket.on("disconnect", () => {
      disconnected = true;
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push((await aliceB.send("general", `stream ${i}`)).body.message.message_id);
      const revoked: string[] = [];
      const killing = (async () => {
        while (revoked.length < 10) await sleep(5);
        await a.kill();
      })();
      await Promise.all(
        ids.map(async (id, i) => {
          await sleep(i * 15);
          const res = await aliceA.post(`/api/messages/${id}/revoke`).catch(() => null);
          if (res?.status === 200) revoked.push(id);
        }),
      );
      await killing;
      assert.ok(revoked.length >= 10, `${revoked.length} revokes answered before the kill`);
      for (const id of revoked) await bob.waitFor("message:revoked", (e) => e.message_id === id, 20_000);
      const s = openSql(db.url);
      try {
        let pending = -1;
        for (let i = 0; i < 100 && pending !== 0; i++) {
          [{ n: pending }] = await s`select count(*)::int as n from outbox where delivered_at is null`;
          if (pending) await sleep(100);
        }
        assert.equal(pending, 0, "every committed notice was delivered");
      } finally {
        await s.end();
      }
      assert.equal(disconnected, false);
    } finally {
      bob.close();
    }
  });
});
