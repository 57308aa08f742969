import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { Client, checkedFetch } from "./support/clients";
import { testStack } from "./support/harness";
import type { TestServer } from "./support/server";
import { withSql } from "./support/sql";

// Test mode (docs/api.md § Test mode): a server with it on and one with it off, on one database.
const TOKEN = "test-mode-token-0123456789";
const stack = testStack();
const ctx = {} as { on: TestServer; off: TestServer; dbUrl: string };

before(async () => {
  const db = await stack.database();
  ctx.dbUrl = db.url;
  ctx.on = await stack.server({
    DATABASE_URL: db.url,
    IMDESK_TEST_MODE: "1",
    IMDESK_TEST_TOKEN: TOKEN,
    IMDESK_TEST_MODE_ALLOW_EXTERNAL_DB: "1",
    REVOKE_WINDOW_SECONDS: "120",
  });
  ctx.off = await stack.server({ DATABASE_URL: db.url });
});

/** A call to /api/test/*, checked against the OpenAPI document like every other answer. */
function testApi<T = any>(server: TestServer, method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  return checkedFetch<T>(server.url, method, path, body, token === null ? {} : { "x-imdesk-test-token": token });
}

const ROUTES: [string, string, unknown][] = [
  ["POST", "/api/test/reset", undefined],
  ["POST", "/api/test/seed", {}],
  ["GET", "/api/test/clock", undefined],
  ["POST", "/api/test/clock", { advance_ms: 1000 }],
  ["POST", "/api/test/session", { uid: "bob" }],
  ["POST", "/api/test/rate-limits", { enabled: false }],
  ["POST", "/api/test/webhook", { event: "user.onlinestatus", body: [] }],
];

describe("test mode", () => {
  test("the server says loudly that test mode is on; the other says nothing of it", () => {
    assert.match(ctx.on.output(), /TEST MODE IS ON/);
    assert.doesNotMatch(ctx.off.output(), /TEST MODE/);
  });

  test("off: every /api/test/* answers 404 exactly as an unknown route does, whatever the method or token", async () => {
    const unknown = await testApi(ctx.off, "GET", "/api/nothing-here");
    assert.equal(unknown.status, 404);
    for (const [method, path, body] of [
      ...ROUTES,
      ["GET", "/api/test/reset", undefined] as const,
      ["POST", "/api/test/nope", {}] as const,
    ]) {
      const res = await testApi(ctx.off, method, path, body);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.deepEqual(res.body, unknown.body, `${method} ${path}`);
    }
  });

  test("on: a missing or wrong token → 401 invalid_test_token and nothing changes", async () => {
    const alice = await Client.login(ctx.on.url, "alice");
    const { body: g } = await alice.post("/api/channels", { name: "Survives", members: ["bob"] });
    const before = (await testApi(ctx.on, "GET", "/api/test/clock")).body.offset_ms;
    const userToken = alice.token;
    for (const token of [null, "wrong-token-wrong-token", userToken]) {
      for (const [method, path, body] of ROUTES) {
        const res = await testApi(ctx.on, method, path, body, token);
        assert.equal(res.status, 401, `${method} ${path} with ${token === null ? "no token" : "a wrong token"}`);
        assert.equal(res.body.error.code, "invalid_test_token");
      }
    }
    // A user's bearer token is not the test token either.
    const res = await fetch(`${ctx.on.url}/api/test/reset`, { method: "POST", headers: { authorization: `Bearer ${userToken}` } });
    assert.equal(res.status, 401);
    assert.equal((await testApi(ctx.on, "GET", "/api/test/clock")).body.offset_ms, before);
    assert.equal(
      (await alice.get("/api/channels")).body.channels.some((c: { channel_id: string }) => c.channel_id === g.channel_id),
      true,
    );
    await withSql(ctx.dbUrl, async (s) => {
      const [{ n }] = await s`select count(*)::int as n from channels where channel_id = ${g.channel_id}`;
      assert.equal(n, 1);
    });
  });

  test("clock: +130 s and the sender's own recall of a 10-second-old message is refused, can_recall false; reset restores it", async () => {
    const alice = await Client.login(ctx.on.url, "alice");
    const tenSecondsAgo = new Date((await testApi(ctx.on, "GET", "/api/test/clock")).body.now_ms - 10_000).toISOString();
    // bob owns the group: alice recalls only as the sender, inside the window.
    const seeded = await testApi(ctx.on, "POST", "/api/test/seed", {
      groups: [{ ref: "g", name: "Clock", owner: "bob", members: ["alice"] }],
      messages: [{ ref: "m", channel: "g", from: "alice", content: "ten seconds old", sent_at: tenSecondsAgo }],
    });
    const g = { channel_id: seeded.body.refs.g as string };
    assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
    const id = seeded.body.refs.m;
    assert.match(id, /^\d+$/);
    const canRecall = async () =>
      (await alice.get(`/api/channels/${g.channel_id}/messages`)).body.messages.find((m: { message_id: string }) => m.message_id === id)
        .can_recall;
    assert.equal(await canRecall(), true);

    const moved = await testApi(ctx.on, "POST", "/api/test/clock", { advance_ms: 130_000 });
    assert.equal(moved.status, 200);
    assert.ok(moved.body.offset_ms >= 130_000);
    assert.equal(await canRecall(), false);
    const refused = await alice.post(`/api/messages/${id}/revoke`, {});
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "revoke_window_expired");
    // Pages follow the server's clock: every answer carries it.
    const history = await fetch(`${ctx.on.url}/api/channels/${g.channel_id}/messages`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    assert.ok(Number(history.headers.get("x-imdesk-now")) - Date.now() > 120_000);

    const back = await testApi(ctx.on, "POST", "/api/test/clock", { reset: true });
    assert.equal(back.body.offset_ms, 0);
    assert.equal(await canRecall(), true);
    assert.equal((await alice.post(`/api/messages/${id}/revoke`, {})).status, 200);
  });

  test("session: bob's token works on /api/channels and the storage_state cookie opens /chat signed in as bob", async () => {
    const res = await testApi(ctx.on, "POST", "/api/test/session", { uid: "bob" });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const bob = new Client(ctx.on.url, "bob", res.body.token);
    const channels = await bob.get("/api/channels");
    assert.equal(channels.status, 200);
    assert.ok(channels.body.channels.some((c: { channel_id: string }) => c.channel_id === "general"));

    const [cookie] = res.body.storage_state.cookies;
    assert.equal(cookie.domain, "127.0.0.1");
    const cookieHeader = `${cookie.name}=${cookie.value}`;
    const me = await fetch(`${ctx.on.url}/api/auth/session`, { headers: { cookie: cookieHeader } });
    assert.equal(((await me.json()) as { user?: { uid?: string } }).user?.uid, "bob");
    const page = await fetch(`${ctx.on.url}/chat`, { headers: { cookie: cookieHeader }, redirect: "manual" });
    assert.equal(page.status, 200, `GET /chat → ${page.status} ${page.headers.get("location")}`);
    const html = await page.text();
    assert.match(html, /Bob/);
    // Every page shows the test-mode ribbon while test mode is on, and none without it.
    assert.match(html, /data-testid="test-mode-ribbon"/);
    assert.doesNotMatch(await (await fetch(`${ctx.off.url}/login`)).text(), /test-mode-ribbon/);
    assert.match(await (await fetch(`${ctx.on.url}/login`)).text(), /test-mode-ribbon/);
    const anonymous = await fetch(`${ctx.on.url}/chat`, { redirect: "manual" });
    assert.notEqual(anonymous.status, 200);

    assert.equal((await testApi(ctx.on, "POST", "/api/test/session", { uid: "nobody" })).status, 404);
  });

  test("seed: bad input is 400 with the usual error shape, never 500", async () => {
    const bad: unknown[] = [
      "not json",
      [],
      { users: [{ uid: "has@at" }] },
      { users: [{ uid: "x", role: "god" }] },
      { groups: [{ name: "G", owner: "nobody" }] },
      { messages: [{ channel: "general", from: "alice", content: "x", sent_at: "yesterday" }] },
      { messages: [{ channel: "general", from: "alice", content: "x", sent_at: "2999-01-01T00:00:00Z" }] },
      { messages: [{ channel: "no-such-channel", from: "alice", content: "x" }] },
      { reads: [{ channel: "general", uid: "bob", up_to: "missing" }] },
      { extra: true },
      { users: [{ uid: "alice" }] },
    ];
    for (const body of bad) {
      const res = await testApi(ctx.on, "POST", "/api/test/seed", body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
      assert.ok(["invalid_request", "invalid_json"].includes(res.body.error.code));
    }
    for (const body of [{ advance_ms: "soon" }, { set: "later" }, { reset: false }, {}, { advance_ms: 1, reset: true }]) {
      assert.equal((await testApi(ctx.on, "POST", "/api/test/clock", body)).status, 400, JSON.stringify(body));
    }
  });

  test("seed: users, a group with admins, a DM, past messages, a recall and read positions in one call", async () => {
    const t0 = Date.parse((await testApi(ctx.on, "GET", "/api/test/clock")).body.now) - 3600_000;
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    const res = await testApi(ctx.on, "POST", "/api/test/seed", {
      users: [{ uid: "zoe", name: "Zoe", password: "zoe-password" }, { uid: "yan" }],
      groups: [{ ref: "team", name: "Team", owner: "alice", members: ["bob", "zoe"], admins: ["bob"] }],
      directs: [{ ref: "dm", between: ["zoe", "yan"] }],
      messages: [
        { ref: "a", channel: "team", from: "alice", content: "first", sent_at: at(0) },
        { ref: "b", channel: "team", from: "zoe", content: "oops", sent_at: at(10), recalled: true },
        { ref: "c", channel: "dm", from: "yan", content: "hi zoe", sent_at: at(20) },
      ],
      reads: [
        { channel: "team", uid: "bob", up_to: "a" },
        { channel: "dm", uid: "zoe", message_seq: 1 },
      ],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.users, ["zoe", "yan"]);
    assert.equal(res.body.messages[1].revoked, true);
    for (const m of res.body.messages) assert.equal(typeof m.message_id, "string");

    const zoe = await Client.login(ctx.on.url, "zoe", "zoe-password");
    const team = res.body.refs.team;
    const history = (await zoe.get(`/api/channels/${team}/messages`)).body.messages;
    assert.deepEqual(
      history.map((m: any) => [m.payload?.content ?? null, m.revoked, m.timestamp]),
      [
        ["first", false, Math.floor(t0 / 1000)],
        [null, true, Math.floor(t0 / 1000) + 10],
      ],
    );
    const members = (
      await new Client(ctx.on.url, "alice", (await Client.login(ctx.on.url, "alice")).token).get(`/api/channels/${team}/members`)
    ).body.members;
    assert.equal(members.find((m: any) => m.uid === "bob").role, "admin");
    assert.equal(members.find((m: any) => m.uid === "bob").last_read_seq, 1);
    const receipts = await Client.login(ctx.on.url, "alice").then((a) => a.get(`/api/messages/${res.body.refs.a}/receipts`));
    // bob by his read position, zoe by sending after it (sending means having read).
    assert.deepEqual(receipts.body.read.map((r: any) => r.uid).sort(), ["bob", "zoe"]);
  });

  test("reset: back to the demo seed, sockets told; time printed", async () => {
    await testApi(ctx.on, "POST", "/api/test/rate-limits", { enabled: false });
    const alice = await Client.login(ctx.on.url, "alice");
    const socket = await alice.connect();
    const started = performance.now();
    const res = await testApi(ctx.on, "POST", "/api/test/reset");
    const wall = performance.now() - started;
    assert.equal(res.status, 200);
    console.log(`# POST /api/test/reset: ${res.body.took_ms} ms in the server, ${wall.toFixed(0)} ms round trip`);
    await socket.waitFor("test:reset");
    await withSql(ctx.dbUrl, async (s) => {
      const users = await s`select uid from users order by uid`;
      assert.deepEqual(
        users.map((u) => u.uid),
        ["admin", "alice", "bob", "carol", "dave"],
      );
      const channels = await s`select channel_id from channels`;
      assert.deepEqual(
        channels.map((c) => c.channel_id),
        ["general"],
      );
      assert.equal((await s`select count(*)::int as n from messages`)[0].n, 0);
    });
    // The demo password still signs in.
    assert.equal(
      (
        await fetch(`${ctx.on.url}/api/auth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "carol", password: "demo-password" }),
        })
      ).status,
      200,
    );
  });
});
