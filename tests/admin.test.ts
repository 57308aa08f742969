import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client } from "./support/clients";
import { withServer } from "./support/harness";

const ctx = withServer({ WEBHOOK_SECRET: "admin-test-webhook-secret" });

const ADMIN_GETS = [
  "/api/admin/revocations",
  "/api/admin/revocations/export",
  "/api/admin/receipts/stats",
  "/api/admin/webhooks/events",
  "/api/admin/webhooks/stats",
  "/api/admin/push",
  "/api/admin/presence",
  "/api/admin/users",
  "/api/admin/health",
  "/api/admin/overview",
];

describe("admin API", () => {
  test("every admin endpoint answers 403 to an ordinary user and 401 to nobody", async () => {
    const bob = await Client.login(ctx.url, "bob");
    for (const path of ADMIN_GETS) {
      const res = await bob.get(path);
      assert.equal(res.status, 403, path);
      assert.equal(res.body.error.code, "forbidden", path);
      assert.equal((await fetch(`${ctx.url}${path}`)).status, 401, path);
    }
    assert.equal((await bob.post("/api/admin/users", { uid: "x", name: "x", password: "password1" })).status, 403);
    assert.equal((await bob.post("/api/admin/webhooks/events/1/replay")).status, 403);
  });

  test("revocations: newest first, filters, cursor pages, detail with the retained content, CSV of the filtered set", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const admin = await Client.login(ctx.url, "admin");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const who = i % 2 ? bob : alice;
      const m = (await who.send("general", `audit ${i}, "quoted"`)).body.message;
      assert.equal((await who.post(`/api/messages/${m.message_id}/revoke`, { reason: `reason ${i}` })).status, 200);
      ids.push(m.message_id);
    }
    const all = await admin.get("/api/admin/revocations");
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.body.items.slice(0, 5).map((r: any) => r.message_id),
      [...ids].reverse(),
    );
    const item = all.body.items[0];
    for (const k of ["message_id", "channel_id", "sender_uid", "revoked_by", "rule", "reason", "sent_at", "revoked_at"])
      assert.ok(k in item, k);
    assert.equal(item.rule, "sender");
    assert.equal(all.body.next_cursor, null);

    const bobs = await admin.get("/api/admin/revocations?sender_uid=bob");
    assert.deepEqual(bobs.body.items.map((r: any) => r.message_id).sort(), [ids[1], ids[3]].sort());
    const p1 = await admin.get("/api/admin/revocations?limit=2");
    assert.equal(p1.body.items.length, 2);
    const p2 = await admin.get(`/api/admin/revocations?limit=2&cursor=${p1.body.next_cursor}`);
    const p3 = await admin.get(`/api/admin/revocations?limit=2&cursor=${p2.body.next_cursor}`);
    assert.deepEqual([...p1.body.items, ...p2.body.items, ...p3.body.items].map((r: any) => r.message_id).slice(0, 5), [...ids].reverse());
    assert.equal((await admin.get("/api/admin/revocations?rule=nonsense")).status, 400);
    assert.equal((await admin.get("/api/admin/revocations?cursor=garbage")).status, 400);
    assert.equal((await admin.get("/api/admin/revocations?from=yesterday")).status, 400);
    const none = await admin.get(`/api/admin/revocations?to=${encodeURIComponent("2000-01-01T00:00:00Z")}`);
    assert.deepEqual(none.body.items, []);

    const detail = await admin.get(`/api/admin/revocations/${ids[0]}`);
    assert.deepEqual(detail.body.original_payload, { type: 1, content: 'audit 0, "quoted"' });
    assert.equal((await bob.get(`/api/admin/revocations/${ids[0]}`)).status, 403);

    const csv = await fetch(`${ctx.url}/api/admin/revocations/export?sender_uid=alice`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("content-type") ?? "", /text\/csv/);
    const lines = (await csv.text()).trim().split("\n");
    assert.equal(lines[0], "message_id,channel_id,sender_uid,revoked_by,rule,reason,sent_at,revoked_at,seconds_between");
    assert.equal(lines.length, 4);
    assert.ok(lines.slice(1).every((l) => l.includes('"alice"')));
    assert.ok(lines.some((l) => l.startsWith(`"${ids[4]}"`)));
  });

  test("receipt statistics per channel and for one channel", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const admin = await Client.login(ctx.url, "admin");
    const { body: ch } = await alice.post("/api/channels", { name: "Stats", members: ["bob", "carol"] });
    await alice.send(ch.channel_id, "s1");
    await alice.send(ch.channel_id, "s2");
    await bob.post(`/api/channels/${ch.channel_id}/read`, { message_seq: 2 });
    const list = await admin.get("/api/admin/receipts/stats?limit=100");
    const row = list.body.items.find((r: any) => r.channel_id === ch.channel_id);
    assert.deepEqual(
      { members: row.members, messages: row.messages, read_rate: row.read_rate },
      { members: 3, messages: 2, read_rate: 0.5 },
    );
    const one = await admin.get(`/api/admin/receipts/stats?channel_id=${ch.channel_id}`);
    assert.equal(one.body.read_rate, 0.5);
    assert.equal(one.body.time_to_read.pairs, 2);
    assert.ok(one.body.time_to_read.median_seconds >= 0);
    assert.deepEqual(one.body.most_unread[0], { uid: "carol", name: "Carol", unread: 2 });
    assert.equal(
      one.body.time_to_read.distribution.reduce((a: number, b: any) => a + b.count, 0),
      2,
    );
    assert.equal((await admin.get("/api/admin/receipts/stats?channel_id=nope")).status, 404);
  });

  test("webhook log, stats and replay; health shows the webhook address to admins only", async () => {
    const admin = await Client.login(ctx.url, "admin");
    const hook = `${ctx.url}/api/webhooks/wukongim/admin-test-webhook-secret`;
    await fetch(`${hook}?event=user.onlinestatus`, { method: "POST", body: '["u_x-1-1-5-1-1"]' });
    await fetch(`${hook}?event=msg.notify`, { method: "POST", body: "not json" });
    const events = await admin.get("/api/admin/webhooks/events");
    assert.deepEqual(
      events.body.items.slice(0, 2).map((e: any) => [e.event, e.status]),
      [
        ["msg.notify", "rejected"],
        ["user.onlinestatus", "accepted"],
      ],
    );
    const rejected = await admin.get("/api/admin/webhooks/events?status=rejected");
    assert.ok(rejected.body.items.every((e: any) => e.status === "rejected"));
    const id = events.body.items[1].id;
    const detail = await admin.get(`/api/admin/webhooks/events/${id}`);
    assert.equal(detail.body.body, '["u_x-1-1-5-1-1"]');
    const replay = await admin.post(`/api/admin/webhooks/events/${id}/replay`);
    assert.equal(replay.status, 200);
    const after = await admin.get("/api/admin/webhooks/events?limit=1");
    assert.equal(after.body.items[0].replay_of, id);
    const stats = await admin.get("/api/admin/webhooks/stats");
    assert.ok(stats.body.by_hour.some((r: any) => r.event === "msg.notify" && r.status === "rejected"));
    const presence = await admin.get("/api/admin/presence");
    assert.ok(presence.body.items.some((p: any) => p.uid === "u_x" && p.device === "web" && p.online));

    const health = await admin.get("/api/admin/health");
    assert.equal(health.body.database.mode, "external");
    assert.match(
      health.body.webhook.wukongim_config,
      /webhook\.httpAddr: "http:\/\/.+\/api\/webhooks\/wukongim\/admin-test-webhook-secret"/,
    );
    const pub = await (await fetch(`${ctx.url}/api/health`)).text();
    assert.ok(!pub.includes("admin-test-webhook-secret"), "the public health check never shows the secret");
  });

  test("users: create, duplicate refused, disable stops the token and the socket at once", async () => {
    const admin = await Client.login(ctx.url, "admin");
    const created = await admin.post("/api/admin/users", { uid: "erin", name: "Erin", password: "erin-password", role: "user" });
    assert.equal(created.status, 201);
    assert.equal((await admin.post("/api/admin/users", { uid: "erin", name: "Erin", password: "erin-password" })).status, 409);
    assert.equal((await admin.post("/api/admin/users", { uid: "x y", name: "", password: "short" })).status, 400);
    const erin = await Client.login(ctx.url, "erin", "erin-password");
    assert.equal((await erin.get("/api/channels")).status, 200);
    const socket = await erin.connect();
    const disconnected = new Promise<void>((resolve) => socket.socket.once("disconnect", () => resolve()));
    const res = await admin.request("PATCH", "/api/admin/users/erin", { disabled: true });
    assert.equal(res.status, 200);
    assert.equal(res.body.disabled, true);
    await disconnected;
    assert.equal((await erin.get("/api/channels")).status, 401);
    const login = await fetch(`${ctx.url}/api/auth/token`, {
      method: "POST",
      body: JSON.stringify({ username: "erin", password: "erin-password" }),
    });
    assert.equal(login.status, 401);
    assert.equal((await admin.request("PATCH", "/api/admin/users/admin", { disabled: true })).status, 403);
    await admin.request("PATCH", "/api/admin/users/erin", { disabled: false });
    assert.equal((await erin.get("/api/channels")).status, 200);
    const list = await admin.get("/api/admin/users?limit=2");
    assert.equal(list.body.items.length, 2);
    assert.ok(list.body.next_cursor);
  });
});
