import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client } from "./support/clients";
import { withServer } from "./support/harness";
import { openSql } from "./support/sql";

const ctx = withServer();

describe("auth", () => {
  test("a token comes from the right password only, and routes need one", async () => {
    const ok = await fetch(`${ctx.url}/api/auth/token`, {
      method: "POST",
      body: JSON.stringify({ username: "alice", password: "demo-password" }),
    });
    assert.equal(ok.status, 200);
    const body = await ok.json();
    assert.deepEqual(body.user, { uid: "alice", name: "Alice", role: "user" });
    assert.equal(typeof body.token, "string");

    const bad = await fetch(`${ctx.url}/api/auth/token`, { method: "POST", body: JSON.stringify({ username: "alice", password: "nope" }) });
    assert.equal(bad.status, 401);
    assert.equal((await bad.json()).error.code, "invalid_credentials");

    const anon = await fetch(`${ctx.url}/api/channels`);
    assert.equal(anon.status, 401);
    assert.equal((await anon.json()).error.code, "unauthenticated");

    const forged = await fetch(`${ctx.url}/api/channels`, { headers: { authorization: "Bearer not-a-token" } });
    assert.equal(forged.status, 401);
  });

  test("the acting uid comes from the token, never from the body", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const res = await alice.post("/api/channels/general/messages", { from_uid: "bob", payload: { type: 1, content: "who am i" } });
    assert.equal(res.status, 201);
    assert.equal(res.body.message.from_uid, "alice");
  });
});

describe("demo data and health", () => {
  test("health is ok and minimal", async () => {
    const res = await fetch(`${ctx.url}/api/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
  });

  test("the demo group holds all five users", async () => {
    for (const uid of ["alice", "bob", "carol", "dave", "admin"]) {
      const c = await Client.login(ctx.url, uid);
      const res = await c.get("/api/channels");
      assert.equal(res.status, 200);
      assert.ok(
        res.body.channels.some((ch: { channel_id: string }) => ch.channel_id === "general"),
        uid,
      );
    }
    const admin = await Client.login(ctx.url, "admin");
    const members = await admin.get("/api/channels/general/members");
    assert.deepEqual(members.body.members.map((m: { uid: string }) => m.uid).sort(), ["admin", "alice", "bob", "carol", "dave"]);
  });
});

describe("channels and messages", () => {
  test("a non-member can neither read nor write a group", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const created = await alice.post("/api/channels", { name: "Secret", members: ["carol"] });
    assert.equal(created.status, 201);
    assert.equal(created.body.channel_type, 2);
    assert.deepEqual(created.body.members, ["alice", "carol"]);
    const id = created.body.channel_id;
    await alice.send(id, "for carol only");

    const read = await bob.get(`/api/channels/${id}/messages`);
    assert.equal(read.status, 403);
    assert.equal(read.body.error.code, "not_a_member");
    assert.equal((await bob.send(id, "let me in")).status, 403);
    assert.equal((await bob.post(`/api/channels/${id}/read`, { message_seq: 1 })).status, 403);
    const list = await bob.get("/api/channels");
    assert.ok(!list.body.channels.some((c: { channel_id: string }) => c.channel_id === id));
    assert.equal((await bob.get("/api/channels/nope/messages")).status, 404);
  });

  test("the same client_msg_no returns the first message, never a duplicate", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const { body } = await alice.post("/api/channels", { name: "Idem", members: ["bob"] });
    const first = await alice.send(body.channel_id, "once", "idem-1");
    const again = await alice.send(body.channel_id, "twice?", "idem-1");
    const racing = await Promise.all(Array.from({ length: 10 }, () => alice.send(body.channel_id, "race", "idem-2")));
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.equal(again.body.message.message_id, first.body.message.message_id);
    assert.equal(again.body.message.payload.content, "once");
    assert.equal(racing.filter((r) => r.status === 201).length, 1);
    assert.equal(new Set(racing.map((r) => r.body.message.message_id)).size, 1);
    const history = await alice.get(`/api/channels/${body.channel_id}/messages`);
    assert.deepEqual(
      history.body.messages.map((m: { message_seq: number }) => m.message_seq),
      [1, 2],
    );
  });

  test("50 concurrent sends get 50 distinct consecutive seqs", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body } = await alice.post("/api/channels", { name: "Burst", members: ["bob"] });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? alice : bob).send(body.channel_id, `m${i}`)));
    assert.ok(results.every((r) => r.status === 201));
    const seqs = results.map((r) => r.body.message.message_seq).sort((a, b) => a - b);
    assert.deepEqual(
      seqs,
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    assert.equal(new Set(results.map((r) => r.body.message.message_id)).size, 50);
  });

  test("history: latest page ascending, before/after cursors, limit clamped to 200", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const { body } = await alice.post("/api/channels", { name: "Pages", members: [] });
    const id = body.channel_id;
    for (let i = 1; i <= 230; i++) await alice.send(id, `n${i}`);
    const latest = await alice.get(`/api/channels/${id}/messages?limit=10`);
    assert.deepEqual(
      latest.body.messages.map((m: { message_seq: number }) => m.message_seq),
      [221, 222, 223, 224, 225, 226, 227, 228, 229, 230],
    );
    assert.equal(latest.body.more, true);
    const older = await alice.get(`/api/channels/${id}/messages?before_seq=221&limit=5`);
    assert.deepEqual(
      older.body.messages.map((m: { message_seq: number }) => m.message_seq),
      [216, 217, 218, 219, 220],
    );
    const newer = await alice.get(`/api/channels/${id}/messages?after_seq=225&limit=50`);
    assert.deepEqual(
      newer.body.messages.map((m: { message_seq: number }) => m.message_seq),
      [226, 227, 228, 229, 230],
    );
    assert.equal(newer.body.more, false);
    const clamped = await alice.get(`/api/channels/${id}/messages?limit=5000`);
    assert.equal(clamped.status, 200);
    assert.equal(clamped.body.messages.length, 200);
    const first = await alice.get(`/api/channels/${id}/messages?before_seq=3`);
    assert.equal(first.body.more, false);
    assert.equal(first.body.messages.length, 2);
  });

  test("message ids are strings that keep their int64 digits", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const sent = await alice.send("general", "id check");
    assert.match(sent.body.message.message_id, /^[0-9]{15,20}$/);
    assert.ok(BigInt(sent.body.message.message_id) > BigInt(Number.MAX_SAFE_INTEGER));
  });

  test("creating a group writes no message into history", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const { body } = await alice.post("/api/channels", { name: "Quiet", members: ["bob"] });
    await alice.post(`/api/channels/${body.channel_id}/members`, { uids: ["carol"] });
    const bob = await Client.login(ctx.url, "bob");
    const history = await bob.get(`/api/channels/${body.channel_id}/messages`);
    assert.deepEqual(history.body.messages, []);
    const list = await bob.get("/api/channels");
    const ch = list.body.channels.find((c: { channel_id: string }) => c.channel_id === body.channel_id);
    assert.equal(ch.unread_count, 0);
  });

  test("only the owner or admins add members", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body } = await alice.post("/api/channels", { name: "Owned", members: ["bob"] });
    const denied = await bob.post(`/api/channels/${body.channel_id}/members`, { uids: ["dave"] });
    assert.equal(denied.status, 403);
    const ok = await alice.post(`/api/channels/${body.channel_id}/members`, { uids: ["dave"] });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.added, ["dave"]);
    const unknown = await alice.post(`/api/channels/${body.channel_id}/members`, { uids: ["nobody"] });
    assert.equal(unknown.status, 400);
  });
});

describe("bad input gets a clear 4xx and writes nothing", () => {
  const cases: [string, string, unknown, number][] = [
    ["POST", "/api/channels/general/messages", "{not json", 400],
    ["POST", "/api/channels/general/messages", { payload: { type: 1, content: "" } }, 400],
    ["POST", "/api/channels/general/messages", { payload: { type: "1", content: "x" } }, 400],
    ["POST", "/api/channels/general/messages", { payload: { type: 1006, content: "x" } }, 400],
    ["POST", "/api/channels/general/messages", { payload: { type: 1, content: "x" }, client_msg_no: "a b" }, 400],
    ["POST", "/api/channels/general/messages", [], 400],
    ["POST", "/api/channels/general/messages", "null", 400],
    ["POST", "/api/channels/general/messages", { payload: { type: 1, content: "x".repeat(70_000) } }, 413],
    ["POST", "/api/channels/general/read", { message_seq: -1 }, 400],
    ["POST", "/api/channels/general/read", { message_seq: "5" }, 400],
    ["POST", "/api/channels/general/read", { message_seq: 1e300 }, 400],
    ["GET", "/api/channels/general/messages?limit=abc", undefined, 400],
    ["GET", "/api/channels/general/messages?before_seq=-4", undefined, 400],
    ["POST", "/api/messages/99999999999999999999999/revoke", {}, 400],
    ["POST", "/api/messages/abc/revoke", {}, 400],
    ["POST", "/api/messages/123456789012345678/revoke", { reason: 5 }, 400],
    ["POST", "/api/channels", { name: "", members: [] }, 400],
    ["POST", "/api/channels", { name: "x", members: "bob" }, 400],
  ];
  for (const [method, path, body, status] of cases) {
    test(`${method} ${path} ${JSON.stringify(body)?.slice(0, 40)} → ${status}`, async () => {
      const alice = await Client.login(ctx.url, "alice");
      const before = await countRows();
      const res = await alice.request(method, path, body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match((res.body as { error: { code: string } }).error.code, /^[a-z_]+$/);
      assert.equal(typeof (res.body as { error: { message: string } }).error.message, "string");
      assert.deepEqual(await countRows(), before);
    });
  }
});

async function countRows() {
  const sql = openSql(ctx.db.url);
  try {
    const [r] = await sql`select (select count(*) from messages)::int m, (select count(*) from channels)::int c,
                                 (select count(*) from revocations)::int r, (select count(*) from read_events)::int e`;
    return r;
  } finally {
    await sql.end();
  }
}
