import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { constants, crc32, gzipSync } from "node:zlib";
import type postgres from "postgres";
import { personChannelId } from "@/lib/wukongim/channel-key";
import { parseJsonKeepingBigInts, stringifyJsonWithBigInts } from "@/lib/wukongim/json";
import { Client } from "./support/clients";
import { type FakeMessage, messageResp } from "./support/fake-wukongim";
import { withServer } from "./support/harness";
import { withSql } from "./support/sql";

const SECRET = "test-webhook-secret-1234";
const ctx = withServer({ WEBHOOK_SECRET: SECRET });
const hook = (event: string, secret = SECRET) => `${ctx.url}/api/webhooks/wukongim/${secret}?event=${event}`;
const post = (url: string, body: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");

let nextId = 1826478392173219840n;
function wk(over: Partial<FakeMessage> & { content?: string } = {}): FakeMessage {
  const { content, ...rest } = over;
  return {
    header: { no_persist: 0, red_dot: 1, sync_once: 0 },
    message_id: nextId++,
    client_msg_no: `c${nextId}`,
    message_seq: 1,
    from_uid: "alice",
    channel_id: "general",
    channel_type: 2,
    timestamp: Math.floor(Date.now() / 1000),
    payload: b64({ type: 1, content: content ?? "from wukongim" }),
    ...rest,
  };
}

const q = <T extends object = any>(query: (s: postgres.Sql) => Promise<T[]>) => withSql(ctx.db.url, query);
const eventCount = async () => (await q((s) => s`select count(*)::int as n from webhook_events`))[0].n;

describe("big-int-safe JSON", () => {
  test("int64 ids keep every digit; strings and small numbers are untouched", () => {
    const v = parseJsonKeepingBigInts(
      '{"a":1826478392173219841,"b":"x:1826478392173219841,","c":[12,-9223372036854775807],"d":1.5e3}',
    ) as any;
    assert.deepEqual(v, { a: "1826478392173219841", b: "x:1826478392173219841,", c: [12, "-9223372036854775807"], d: 1500 });
  });
  test("bigints go out as bare int64 literals and come back exact", () => {
    const text = stringifyJsonWithBigInts({ message_ids: [9223372036854775807n, 1826478392173219841n], note: "int64:1" });
    assert.equal(text, '{"message_ids":[9223372036854775807,1826478392173219841],"note":"int64:1"}');
    assert.deepEqual(parseJsonKeepingBigInts(text), { message_ids: ["9223372036854775807", "1826478392173219841"], note: "int64:1" });
  });
  test("person chats are keyed by WuKongIM's crc32 rule, the same from both sides", () => {
    assert.equal(personChannelId("u_alice", "u_bob"), personChannelId("u_bob", "u_alice"));
    assert.match(personChannelId("u_alice", "u_bob"), /^(u_alice@u_bob|u_bob@u_alice)$/);
  });
  test("uids whose crc32 ties share one person channel, ordered as WuKongIM main orders them (greater uid first, byte-wise)", () => {
    assert.equal(crc32("plumless"), crc32("buckeroo"));
    assert.equal(personChannelId("plumless", "buckeroo"), "plumless@buckeroo");
    assert.equal(personChannelId("buckeroo", "plumless"), "plumless@buckeroo");
  });
});

describe("webhook", () => {
  test("msg.notify: chat messages enter history once, with WuKongIM's exact id and seq, however often re-delivered", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body: ch } = await alice.post("/api/channels", { name: "WK", members: ["bob"] });
    const socket = await bob.connect();
    try {
      const batch = [
        wk({ channel_id: ch.channel_id, message_seq: 1, content: "one" }),
        wk({ channel_id: ch.channel_id, message_seq: 2, content: "two" }),
      ];
      const raw = `[${batch.map(messageResp).join(",")}]`;
      assert.match(raw, /"message_id":18264783921732198\d\d,/, "the fixture carries raw int64 numbers");
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await post(hook("msg.notify"), raw));
      assert.deepEqual(
        answers.map((r) => r.status),
        [200, 200, 200, 200],
      );
      const bodies = await Promise.all(answers.map((r) => r.json()));
      assert.deepEqual(
        bodies.map((b) => [b.status, b.accepted, b.duplicate]),
        [
          ["accepted", 2, 0],
          ["duplicate", 0, 2],
          ["duplicate", 0, 2],
          ["duplicate", 0, 2],
        ],
      );
      const history = await bob.get(`/api/channels/${ch.channel_id}/messages`);
      assert.deepEqual(
        history.body.messages.map((m: any) => [m.message_id, m.message_seq, m.payload.content, m.from_uid]),
        [
          [String(batch[0].message_id), 1, "one", "alice"],
          [String(batch[1].message_id), 2, "two", "alice"],
        ],
      );
      const live = await socket.waitFor("message:new", (m) => m.message_id === String(batch[1].message_id));
      assert.equal(live.payload.content, "two");
      assert.equal(socket.of("message:new").filter((m) => m.channel_id === ch.channel_id).length, 2);
      // …and they can be recalled like any other.
      const revoke = await alice.post(`/api/messages/${batch[0].message_id}/revoke`);
      assert.equal(revoke.status, 200);
    } finally {
      socket.close();
    }
  });

  test("msg.notify into a channel with receipts off: message:new carries no counts, as a message sent there does", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body: ch } = await alice.post("/api/channels", { name: "WK quiet", members: ["bob"] });
    assert.equal((await alice.request("PATCH", `/api/channels/${ch.channel_id}/settings`, { receipts: false })).status, 200);
    const socket = await bob.connect();
    try {
      const item = wk({ channel_id: ch.channel_id, message_seq: 1, content: "quiet" });
      assert.equal((await post(hook("msg.notify"), `[${messageResp(item)}]`)).status, 200);
      const live = await socket.waitFor("message:new", (m) => m.message_id === String(item.message_id));
      assert.equal(live.payload.content, "quiet");
      assert.equal("read_count" in live, false, "no read count in a channel without receipts");
      assert.equal("unread_count" in live, false, "no unread count in a channel without receipts");
    } finally {
      socket.close();
    }
  });

  test("CMD (sync_once=1) and no_persist messages are recorded, never history", async () => {
    const cmd = wk({
      header: { no_persist: 0, red_dot: 0, sync_once: 1 },
      message_seq: 900,
      payload: b64({ type: 99, cmd: "messageRevoke", param: { message_id: "1" } }),
    });
    const np = wk({ header: { no_persist: 1, red_dot: 0, sync_once: 0 }, message_seq: 0, content: "typing…" });
    const res = await post(hook("msg.notify"), `[${messageResp(cmd)},${messageResp(np)}]`);
    assert.equal(res.status, 200);
    const rows = await q(
      (s) => s`select message_id from messages where message_id in (${String(cmd.message_id)}, ${String(np.message_id)})`,
    );
    assert.equal(rows.length, 0);
    const seen = await q(
      (s) =>
        s`select message_id, kind from im_messages where message_id in (${String(cmd.message_id)}, ${String(np.message_id)}) order by kind`,
    );
    assert.deepEqual(
      seen.map((r) => r.kind),
      ["cmd", "no_persist"],
    );
    const [ev] = await q((s) => s`select cmd_count, chat_count from webhook_events order by id desc limit 1`);
    assert.deepEqual({ ...ev }, { cmd_count: 1, chat_count: 0 });
  });

  test("person chats land under WuKongIM's fake channel id, visible to both people", async () => {
    const m = wk({ channel_type: 1, channel_id: "bob", from_uid: "alice", message_seq: 1, content: "psst" });
    assert.equal((await post(hook("msg.notify"), `[${messageResp(m)}]`)).status, 200);
    const bob = await Client.login(ctx.url, "bob");
    const id = personChannelId("alice", "bob");
    const list = await bob.get("/api/channels");
    const entry = list.body.channels.find((c: any) => c.channel_id === id);
    assert.equal(entry.channel_type, 1);
    assert.equal(entry.name, "Alice");
    assert.equal(entry.unread_count, 1);
    const history = await bob.get(`/api/channels/${encodeURIComponent(id)}/messages`);
    assert.equal(history.body.messages[0].payload.content, "psst");
  });

  test("a poison item beside a good one: the good one is kept, the poison recorded as rejected, 200", async () => {
    const good = wk({ channel_id: "general", message_seq: 500, content: "good" });
    const raw = `[${messageResp(good)},{"message_id":"x","channel_id":5},{"header":{},"message_id":1,"message_seq":3,"channel_id":"general","channel_type":2,"timestamp":1,"payload":"bm90IGpzb24="}]`;
    const res = await post(hook("msg.notify"), raw);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json().then((b) => [b.status, b.accepted, b.rejected]), ["accepted", 1, 2]);
    const [ev] = await q((s) => s`select status, items_rejected, error from webhook_events order by id desc limit 1`);
    assert.equal(ev.items_rejected, 2);
    assert.match(ev.error, /item 1/);
    assert.match(ev.error, /payload/);
    assert.equal((await q((s) => s`select 1 from messages where message_id = ${String(good.message_id)}`)).length, 1);
  });

  test("wrong or missing secret: 401 and nothing stored", async () => {
    const before = await eventCount();
    const m = wk({ message_seq: 600 });
    for (const url of [hook("msg.notify", "wrong-secret"), `${ctx.url}/api/webhooks/wukongim/?event=msg.notify`]) {
      const res = await post(url, `[${messageResp(m)}]`);
      assert.ok([401, 404].includes(res.status), String(res.status));
    }
    assert.equal(await eventCount(), before);
    assert.equal((await q((s) => s`select 1 from messages where message_id = ${String(m.message_id)}`)).length, 0);
  });

  test("a flood of bad-secret requests stores nothing and does not stop good deliveries", async () => {
    const before = await eventCount();
    const good = wk({ channel_id: "general", message_seq: 800, content: "through the flood" });
    const flood = Array.from({ length: 300 }, (_, i) => post(hook("msg.notify", `bad-${i}`), "[]").then((r) => r.status));
    const delivered = post(hook("msg.notify"), `[${messageResp(good)}]`).then((r) => r.status);
    const statuses = await Promise.all(flood);
    assert.ok(statuses.every((st) => st === 401));
    assert.equal(await delivered, 200);
    assert.equal(await eventCount(), before + 1);
    assert.equal((await q((s) => s`select 1 from messages where message_id = ${String(good.message_id)}`)).length, 1);
  });

  test("malformed JSON → 400 (recorded as rejected); over the size limit → 413", async () => {
    const before = await eventCount();
    const bad = await post(hook("msg.notify"), '[{"message_id":1,');
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.code, "invalid_json");
    assert.equal(await eventCount(), before + 1);
    const huge = await post(hook("msg.notify"), `[${" ".repeat(6 * 1024 * 1024)}]`);
    assert.equal(huge.status, 413);
    const unknown = await post(hook("msg.bogus"), "[]");
    assert.equal(unknown.status, 400);
  });

  test("msg.offline: one decision per (message, uid); gzip to_uids; CMD never pushed; recalled → suppressed, recalled later → retracted", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const chat = wk({ channel_id: "general", message_seq: 700, content: "are you there?" });
    await post(hook("msg.notify"), `[${messageResp(chat)}]`);
    const offline = (m: FakeMessage, extra: string) => `${messageResp(m).slice(0, -1)},${extra},"source_id":1}`;
    const gz = gzipSync(Buffer.from(JSON.stringify(["carol", "dave"]))).toString("base64");
    const first = await post(hook("msg.offline"), offline(chat, `"to_uids":[],"compress":"gzip","compress_to_uids":"${gz}"`));
    assert.equal(first.status, 200);
    const again = await post(hook("msg.offline"), offline(chat, '"to_uids":["carol","dave"]'));
    assert.equal((await again.json()).status, "duplicate");
    let rows = await q(
      (s) => s`select uid, decision, kind, retracted_at from push_notifications where message_id = ${String(chat.message_id)} order by uid`,
    );
    assert.deepEqual(
      rows.map((r) => [r.uid, r.decision, r.kind]),
      [
        ["carol", "push", "chat"],
        ["dave", "push", "chat"],
      ],
    );

    const cmd = wk({ header: { no_persist: 0, red_dot: 0, sync_once: 1 }, from_uid: "____system", message_seq: 701 });
    await post(hook("msg.offline"), offline(cmd, '"to_uids":["carol"]'));
    const [c] = await q((s) => s`select decision, kind from push_notifications where message_id = ${String(cmd.message_id)}`);
    assert.deepEqual({ ...c }, { decision: "no_push_cmd", kind: "cmd" });

    assert.equal((await alice.post(`/api/messages/${chat.message_id}/revoke`)).status, 200);
    rows = await q((s) => s`select uid, retracted_at from push_notifications where message_id = ${String(chat.message_id)}`);
    assert.ok(
      rows.every((r) => r.retracted_at !== null),
      "pushes of a recalled message are retracted",
    );
    await post(hook("msg.offline"), offline(chat, '"to_uids":["bob"]'));
    const [late] = await q((s) => s`select decision from push_notifications where message_id = ${String(chat.message_id)} and uid = 'bob'`);
    assert.equal(late.decision, "suppressed_revoked");
  });

  test("user.onlinestatus: 6-part and legacy 3-part strings; a bad one is rejected alone", async () => {
    const res = await post(hook("user.onlinestatus"), '["u_bob-0-1-1001-1-2","u-with-dash-1-1-77-1-1","u_old-2-0",42,"nonsense"]');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json().then((b) => [b.accepted, b.rejected]), [3, 2]);
    const rows = await q((s) => s`select uid, device_flag, online, conn_id, total_online_count from presence order by uid`);
    assert.deepEqual(
      rows.map((r) => [r.uid, r.device_flag, r.online, r.conn_id, r.total_online_count]),
      [
        ["u-with-dash", 1, true, "77", 1],
        ["u_bob", 0, true, "1001", 2],
        ["u_old", 2, false, null, null],
      ],
    );
    await post(hook("user.onlinestatus"), '["u_bob-0-0-1001-0-1"]');
    const [bob] = await q((s) => s`select online, total_online_count from presence where uid = 'u_bob'`);
    assert.deepEqual({ ...bob }, { online: false, total_online_count: 1 });
  });

  test("revoking a message that never reached the store, without a gateway: a clear 404", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const res = await alice.post("/api/messages/1826478392173299999/revoke", { channel_id: "general", channel_type: 2 });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "message_not_found");
    assert.match(res.body.error.message, /never reached the message store/);
  });
});

describe("webhook: hostile items and WuKongIM's own variations", () => {
  test("a poisoned msg.notify item (NUL, lone surrogate, NUL key, deep nesting in its payload or fields) is rejected alone; the batch's good messages are kept", async () => {
    const good = [wk({ message_seq: 1100, content: "innocent one" }), wk({ message_seq: 1101, content: "innocent two" })];
    const rawPayload = (json: string) => Buffer.from(json).toString("base64");
    const deep = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;
    const poisoned = [
      { ...wk({ message_seq: 1102 }), payload: rawPayload('{"type":1,"content":"nul \\u0000 here"}') },
      { ...wk({ message_seq: 1103 }), payload: rawPayload('{"type":1,"content":"lone \\ud800 surrogate"}') },
      { ...wk({ message_seq: 1104 }), payload: rawPayload('{"type":1,"content":"x","k\\u0000ey":1}') },
      { ...wk({ message_seq: 1105 }), payload: rawPayload(`{"type":1,"content":"x","deep":${deep}}`) },
    ];
    const fieldPoison = `{"header":{"no_persist":0,"red_dot":1,"sync_once":0},"message_id":${nextId++},"client_msg_no":"c\\u0000","message_seq":1106,"from_uid":"alice","channel_id":"general","channel_type":2,"timestamp":1,"payload":"${b64({ type: 1, content: "x" })}"}`;
    const raw = `[${messageResp(good[0])},${poisoned.map(messageResp).join(",")},${fieldPoison},${messageResp(good[1])}]`;
    const res = await post(hook("msg.notify"), raw);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json().then((b) => [b.accepted, b.rejected]), [2, 5]);
    const kept = await q(
      (s) => s`select message_seq::int as seq from messages where channel_id = 'general' and message_seq between 1100 and 1106 order by 1`,
    );
    assert.deepEqual(
      kept.map((r) => r.seq),
      [1100, 1101],
    );
    const [ev] = await q((s) => s`select status, items_rejected, body_bytes from webhook_events order by id desc limit 1`);
    assert.deepEqual([ev.status, ev.items_rejected, ev.body_bytes], ["accepted", 5, Buffer.byteLength(raw)], "the delivery is logged");
  });

  test("message ids outside int64 (1..9223372036854775807) are rejected", async () => {
    const base = messageResp(wk({ message_seq: 1200 }));
    const withId = (id: string) => base.replace(/"message_id":\d+,"message_idstr":"\d+"/, `"message_id":${id},"message_idstr":"${id}"`);
    const raw = `[${["99999999999999999999", "18446744073709551615", "9223372036854775808", "0"].map(withId).join(",")}]`;
    const res = await post(hook("msg.notify"), raw);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json().then((b) => [b.accepted, b.rejected]), [0, 4]);
    const max = withId("9223372036854775807");
    assert.deepEqual(
      await post(hook("msg.notify"), `[${max}]`)
        .then((r) => r.json())
        .then((b) => [b.accepted, b.rejected]),
      [1, 0],
    );
    const [row] = await q((s) => s`select message_id from messages where channel_id = 'general' and message_seq = 1200`);
    assert.equal(row.message_id, "9223372036854775807");
  });

  test("a gzip bomb in compress_to_uids is refused without inflating it", async () => {
    const chat = wk({ channel_id: "general", message_seq: 1300 });
    await post(hook("msg.notify"), `[${messageResp(chat)}]`);
    // 64 MiB of spaces around an empty array: ~64 KiB compressed.
    const bomb = gzipSync(Buffer.concat([Buffer.from("["), Buffer.alloc(64 * 1024 * 1024, 32), Buffer.from("]")])).toString("base64");
    const res = await post(
      hook("msg.offline"),
      `${messageResp(chat).slice(0, -1)},"to_uids":[],"compress":"gzip","compress_to_uids":"${bomb}","source_id":1}`,
    );
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual([body.accepted, body.rejected], [0, 1]);
    assert.equal((await q((s) => s`select 1 from push_notifications where message_id = ${String(chat.message_id)}`)).length, 0);
  });

  test("v2.2.5's truncated gzip compress_to_uids (no final block, no trailer) is inflated as far as it goes: every closed uid gets its push decision", async () => {
    const offline = (m: FakeMessage, gz: string) =>
      post(hook("msg.offline"), `${messageResp(m).slice(0, -1)},"to_uids":[],"compress":"gzip","compress_to_uids":"${gz}","source_id":1}`);
    // What v2 writes when it reads the buffer before closing its gzip writer: flushed blocks, then nothing.
    const truncated = (text: string) => gzipSync(Buffer.from(text), { finishFlush: constants.Z_SYNC_FLUSH }).toString("base64");
    const whole = wk({ channel_id: "general", message_seq: 1600 });
    const cut = wk({ channel_id: "general", message_seq: 1601 });
    const headerOnly = wk({ channel_id: "general", message_seq: 1602 });
    await post(hook("msg.notify"), `[${[whole, cut, headerOnly].map(messageResp).join(",")}]`);
    const answers = [
      await offline(whole, truncated('["carol","dave"]')),
      await offline(cut, truncated('["carol","dave","ev')),
      // v2's bytes for a short list: the bare gzip header.
      await offline(headerOnly, "H4sIAAAAAAAA/w=="),
    ];
    assert.deepEqual(await Promise.all(answers.map((r) => r.json().then((b) => [r.status, b.accepted, b.rejected]))), [
      [200, 1, 0],
      [200, 1, 0],
      [200, 1, 0],
    ]);
    const rows = await q(
      (s) =>
        s`select message_id, uid, decision from push_notifications where message_id in ${s([whole, cut, headerOnly].map((m) => String(m.message_id)))} order by message_id, uid`,
    );
    assert.deepEqual(
      rows.map((r) => [r.message_id, r.uid, r.decision]),
      [
        [String(whole.message_id), "carol", "push"],
        [String(whole.message_id), "dave", "push"],
        [String(cut.message_id), "carol", "push"],
        [String(cut.message_id), "dave", "push"],
      ],
    );
  });

  test("main's msg.offline lists the sender among to_uids: nobody gets a push decision for their own message", async () => {
    const chat = wk({ channel_id: "general", message_seq: 1700, from_uid: "alice" });
    await post(hook("msg.notify"), `[${messageResp(chat)}]`);
    const res = await post(hook("msg.offline"), `${messageResp(chat).slice(0, -1)},"to_uids":["bob","alice","carol"]}`);
    assert.equal(res.status, 200);
    const rows = await q((s) => s`select uid from push_notifications where message_id = ${String(chat.message_id)} order by uid`);
    assert.deepEqual(
      rows.map((r) => r.uid),
      ["bob", "carol"],
    );
  });

  test("person CMD channels (a@b____cmd) are accepted whichever party sends", async () => {
    const id = personChannelId("alice", "bob");
    const [a, b] = id.split("@");
    const cmd = (from: string) =>
      wk({
        header: { no_persist: 0, red_dot: 0, sync_once: 1 },
        channel_type: 1,
        channel_id: `${id}____cmd`,
        from_uid: from,
        message_seq: 0,
      });
    const sent = [cmd(a), cmd(b)];
    const res = await post(hook("msg.notify"), `[${sent.map(messageResp).join(",")}]`);
    assert.deepEqual(await res.json().then((x) => [x.accepted, x.rejected]), [2, 0]);
    const rows = await q(
      (s) => s`select channel_id, kind from im_messages where message_id in ${s(sent.map((m) => String(m.message_id)))}`,
    );
    assert.deepEqual(
      rows.map((r) => [r.channel_id, r.kind]),
      [
        [id, "cmd"],
        [id, "cmd"],
      ],
    );
  });

  test('v2 system messages to a person (from_uid "", channel the peer\'s uid or ____system) are stored', async () => {
    const toBob = wk({ channel_type: 1, channel_id: "bob", from_uid: "", message_seq: 1, content: "Welcome, Bob" });
    const broadcast = wk({ channel_type: 1, channel_id: "____system", from_uid: "", message_seq: 1, content: "Maintenance tonight" });
    const res = await post(hook("msg.notify"), `[${messageResp(toBob)},${messageResp(broadcast)}]`);
    assert.deepEqual(await res.json().then((x) => [x.accepted, x.rejected]), [2, 0]);
    const bob = await Client.login(ctx.url, "bob");
    const channel = personChannelId("____system", "bob");
    const history = await bob.get(`/api/channels/${encodeURIComponent(channel)}/messages`);
    assert.equal(history.status, 200);
    assert.deepEqual(
      history.body.messages.map((m: any) => [m.from_uid, m.payload.content]),
      [["", "Welcome, Bob"]],
    );
    const [sys] = await q((s) => s`select channel_id from messages where message_id = ${String(broadcast.message_id)}`);
    assert.equal(sys.channel_id, "____system");
  });

  test("v2 reusing a client_msg_no for a new message id: both messages are kept (the id is the identity)", async () => {
    const first = wk({ message_seq: 1400, client_msg_no: "reused-1", content: "first" });
    const second = wk({ message_seq: 1401, client_msg_no: "reused-1", content: "second" });
    assert.equal((await post(hook("msg.notify"), `[${messageResp(first)}]`)).status, 200);
    const res = await post(hook("msg.notify"), `[${messageResp(second)}]`);
    assert.deepEqual(await res.json().then((x) => [x.accepted, x.rejected]), [1, 0]);
    const rows = await q((s) => s`select message_seq::int as seq from messages where client_msg_no = 'reused-1' order by 1`);
    assert.deepEqual(
      rows.map((r) => r.seq),
      [1400, 1401],
    );
    // A real seq clash says so, and names the seq, not the client_msg_no.
    const clash = wk({ message_seq: 1401, content: "clash" });
    const [err] = await post(hook("msg.notify"), `[${messageResp(clash)}]`).then(async () =>
      q((s) => s`select error from webhook_events order by id desc limit 1`),
    );
    assert.match(err.error, /seq 1401 of general is held by another message/);
  });

  test("admin push log pages through rows that share a timestamp, none skipped", async () => {
    const admin = await Client.login(ctx.url, "admin");
    const chat = wk({ channel_id: "general", message_seq: 1500 });
    await post(hook("msg.notify"), `[${messageResp(chat)}]`);
    const uids = Array.from({ length: 512 }, (_, i) => `offline_${i}`);
    // One statement: every row gets the same created_at.
    const res = await post(hook("msg.offline"), `${messageResp(chat).slice(0, -1)},"to_uids":${JSON.stringify(uids)},"source_id":1}`);
    assert.equal(res.status, 200);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: any = await admin.get(`/api/admin/push?limit=37${cursor ? `&cursor=${cursor}` : ""}`);
      assert.equal(page.status, 200);
      for (const item of page.body.items) if (item.message_id === String(chat.message_id)) seen.add(item.uid);
      cursor = page.body.next_cursor;
    } while (cursor);
    assert.equal(seen.size, 512);
  });
});
