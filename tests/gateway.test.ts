import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client } from "./support/clients";
import type { TestDatabase } from "./support/database";
import { FakeWuKongIM } from "./support/fake-wukongim";
import { testStack } from "./support/harness";
import { openSql } from "./support/sql";

const SECRET = "gateway-webhook-secret-99";
const TOKEN = "manager-token-1";
// Everything started is stopped at the end, in reverse order, also when a test fails.
const stack = testStack();
let db: TestDatabase;

/** A fresh database, a fake WuKongIM and a server wired to each other (as one deployment would be). */
async function withWukongim(version: 2 | 3, env: Record<string, string> = {}) {
  db = await stack.database();
  const fake = stack.track(await new FakeWuKongIM({ version, token: TOKEN }).start());
  const server = await stack.server({
    DATABASE_URL: db.url,
    WEBHOOK_SECRET: SECRET,
    WUKONGIM_API_URL: fake.url,
    WUKONGIM_MANAGER_TOKEN: TOKEN,
    // Off unless a test is about it: a round would store the "lost" messages these tests recall.
    WUKONGIM_GAP_REPAIR_SECONDS: "0",
    ...env,
  });
  fake.webhookUrl = `${server.url}/api/webhooks/wukongim/${SECRET}`;
  return { fake, server };
}

const decode = (b64: string) => JSON.parse(Buffer.from(b64, "base64").toString("utf8"));

/** The revoke CMDs a fake WuKongIM was sent (on main: the live copy to the members, without a channel, then the one to the channel). */
const revokeSends = (fake: FakeWuKongIM) =>
  fake.requests.filter(
    (r) => r.path === "/message/send" && r.body?.header?.sync_once === 1 && decode(r.body.payload).cmd === "messageRevoke",
  );

async function waitUntil(what: string, check: () => boolean | Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe("WuKongIM gateway", () => {
  for (const version of [2, 3] as const) {
    test(`v${version}: a chat message goes through /message/send and enters history from msg.notify; a revoke sends the CMD`, async () => {
      const { fake, server } = await withWukongim(version);
      try {
        const alice = await Client.login(server.url, "alice");
        const sent = await alice.send("general", `via wukongim v${version}`, `wk-${version}`);
        assert.equal(sent.status, 201, JSON.stringify(sent.body));
        const call = fake.requests.find((r) => r.path === "/message/send" && r.body.client_msg_no === `wk-${version}`);
        assert.ok(call, "WuKongIM received the send");
        assert.equal(call.headers.token, TOKEN);
        assert.deepEqual(
          { ...call.body, payload: decode(call.body.payload) },
          {
            header: { no_persist: 0, red_dot: 1, sync_once: 0 },
            client_msg_no: `wk-${version}`,
            from_uid: "alice",
            channel_id: "general",
            channel_type: 2,
            payload: { type: 1, content: `via wukongim v${version}` },
            subscribers: null,
          },
        );
        const stored = fake.messages.find((m) => m.client_msg_no === `wk-${version}`)!;
        assert.equal(sent.body.message.message_id, String(stored.message_id), "WuKongIM's id, exact");
        assert.equal(sent.body.message.message_seq, stored.message_seq);

        // Dave leaves before the recall: on main the CMD names its recipients, and he is no longer one.
        if (version === 3) {
          const admin = await Client.login(server.url, "admin");
          assert.equal((await admin.delete("/api/channels/general/members/dave")).status, 200);
        }
        const revoke = await alice.post(`/api/messages/${sent.body.message.message_id}/revoke`);
        assert.equal(revoke.status, 200);
        const revokeCmds = () => revokeSends(fake);
        await waitUntil("the revoke CMD", () => revokeCmds().length === version - 1);
        const cmd = revokeCmds().find((r) => r.body.channel_id)!;
        assert.deepEqual(cmd.body.header, { no_persist: 0, red_dot: 0, sync_once: 1 });
        assert.equal(cmd.body.from_uid, "alice");
        // Sent to the channel: v2 hands it to the subscribers itself; both keep it in general____cmd for offline clients.
        assert.equal(cmd.body.channel_id, "general");
        assert.equal(cmd.body.channel_type, 2);
        assert.equal(cmd.body.subscribers, null);
        if (version === 3) {
          // main delivers a channel's CMD to no connected client: imdesk also names the current members.
          const live = revokeCmds().find((r) => !r.body.channel_id)!;
          assert.equal(live.body.from_uid, "alice");
          assert.deepEqual([...live.body.subscribers].sort(), ["admin", "alice", "bob", "carol"]);
          const liveStored = fake.messages.find((m) => m.client_msg_no === live.body.client_msg_no)!;
          assert.match(liveStored.channel_id, /^\d+____cmd$/);
          assert.equal(liveStored.channel_type, 8);
          assert.deepEqual(decode(live.body.payload), decode(cmd.body.payload));
        }
        // The client learns which channel and message from the payload (on main the CMD comes on a channel of its own).
        assert.deepEqual(decode(cmd.body.payload), {
          type: 99,
          cmd: "messageRevoke",
          param: { message_id: String(stored.message_id), channel_id: "general", channel_type: 2 },
        });
        // The CMD comes back through msg.notify too, and stays out of history.
        const history = await alice.get("/api/channels/general/messages");
        assert.ok(history.body.messages.every((m: any) => m.payload?.type !== 99));
      } finally {
        await server.stop();
        await fake.stop();
      }
    });
  }

  test("main: members are bound to their channels' CMDs (the seeded ones at start, then on join) and unbound on removal, also through a WuKongIM failure; a member offline during a recall finds the revoke CMD once when they sync, the removed one never", async () => {
    const { fake, server } = await withWukongim(3);
    const s = openSql(db.url);
    const cmdSync = async (uid: string) => {
      const res = await fetch(`${fake.url}/message/sync`, {
        method: "POST",
        headers: { token: TOKEN },
        body: JSON.stringify({ uid, message_seq: 0, limit: 100 }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      const list = (await res.json()) as any[];
      if (list.length)
        await fetch(`${fake.url}/message/syncack`, {
          method: "POST",
          headers: { token: TOKEN },
          body: JSON.stringify({ uid, last_message_seq: list.at(-1).message_seq }),
        });
      return list.map((m) => ({ ...m, payload: decode(m.payload) }));
    };
    const bound = (uid: string, channel: string) => {
      const b = fake.cmdBindings.get(`${uid}|${channel}____cmd|2`);
      return Boolean(b && !b.tombstone);
    };
    const delivered = () =>
      waitUntil("the outbox delivered", async () => (await s`select 1 from outbox where delivered_at is null`).length === 0);
    try {
      await delivered();
      for (const uid of ["admin", "alice", "bob", "carol", "dave"]) assert.ok(bound(uid, "general"), `${uid} bound at start`);
      // The CMD log is opened before the first bind: a binding to a log with nothing in it fails main's whole sync.
      const paths = fake.requests.map((r) => `${r.path} ${r.body?.client_msg_no ?? r.body?.uid ?? ""}`);
      assert.ok(paths.indexOf("/message/send cmd-log-open-general") < paths.indexOf("/message/cmd/bind admin"), paths.join("\n"));
      assert.deepEqual(await cmdSync("bob"), [], "nobody syncs the opening CMD");

      // A removal while WuKongIM fails: the removal stands, the unbind follows on a retry.
      const admin = await Client.login(server.url, "admin");
      fake.failNext = 1;
      assert.equal((await admin.delete("/api/channels/general/members/dave")).status, 200);
      await delivered();
      assert.equal(bound("dave", "general"), false, "dave unbound");
      const unbinds = fake.requests.filter((r) => r.path === "/message/cmd/unbind" && r.body.uid === "dave");
      assert.ok(unbinds.length >= 1);

      // A new group: its members are bound when it is made.
      const alice = await Client.login(server.url, "alice");
      const group = await alice.post("/api/channels", { name: "bound", members: ["bob"] });
      assert.equal(group.status, 201, JSON.stringify(group.body));
      await delivered();
      assert.ok(bound("alice", group.body.channel_id) && bound("bob", group.body.channel_id));

      // bob offline: the live copy reaches nobody of his; his sync holds the stored one, once.
      const sent = await alice.send("general", "recall me", "wk-bound");
      const id = sent.body.message.message_id;
      assert.equal((await alice.post(`/api/messages/${id}/revoke`)).status, 200);
      await delivered();
      const bobs = await cmdSync("bob");
      assert.deepEqual(
        bobs.map((m) => [m.channel_id, m.channel_type, m.from_uid, m.payload]),
        [["general", 2, "alice", { type: 99, cmd: "messageRevoke", param: { message_id: id, channel_id: "general", channel_type: 2 } }]],
      );
      assert.deepEqual(await cmdSync("bob"), [], "acknowledged, not offered again");
      assert.deepEqual(await cmdSync("dave"), [], "the removed member never hears of it");
    } finally {
      await s.end();
      await server.stop();
      await fake.stop();
    }
  });

  test("gap repair: messages WuKongIM stored while imdesk missed their msg.notify are fetched at start-up and stored once, with their real ids and seqs", async () => {
    db = await stack.database();
    const fake = stack.track(await new FakeWuKongIM({ version: 3, token: TOKEN }).start());
    const env = { DATABASE_URL: db.url, WEBHOOK_SECRET: SECRET, WUKONGIM_API_URL: fake.url, WUKONGIM_MANAGER_TOKEN: TOKEN };
    const first = await stack.server(env);
    fake.webhookUrl = `${first.url}/api/webhooks/wukongim/${SECRET}`;
    const alice = await Client.login(first.url, "alice");
    assert.equal((await alice.send("general", "before", "gap-0")).status, 201);
    await first.stop();
    // imdesk down: WuKongIM stores three more, and its notifies go nowhere.
    const missed = [1, 2, 3].map((i) =>
      fake.store({
        header: { no_persist: 0, red_dot: 1, sync_once: 0 },
        client_msg_no: `gap-${i}`,
        from_uid: "bob",
        channel_id: "general",
        channel_type: 2,
        payload: Buffer.from(JSON.stringify({ type: 1, content: `missed ${i}` })).toString("base64"),
      }),
    );
    const asked = fake.requests.length;
    const server = await stack.server(env);
    fake.webhookUrl = `${server.url}/api/webhooks/wukongim/${SECRET}`;
    const s = openSql(db.url);
    try {
      await waitUntil("the missed messages", async () => {
        const rows = await s`select message_id from messages where client_msg_no like 'gap-%' and source = 'wukongim'`;
        return rows.length === 4;
      });
      const history = await (await Client.login(server.url, "alice")).get("/api/channels/general/messages");
      const got = history.body.messages
        .filter((m: any) => /^missed/.test(m.payload?.content ?? ""))
        .sort((a: any, b: any) => a.message_seq - b.message_seq);
      assert.deepEqual(
        got.map((m: any) => [m.message_id, m.message_seq, m.payload.content]),
        missed.map((m, i) => [String(m.message_id), m.message_seq, `missed ${i + 1}`]),
      );
      const sync = fake.requests.slice(asked).find((r) => r.path === "/channel/messagesync")!;
      assert.equal(sync.body.pull_mode, 1);
      assert.equal(sync.body.start_message_seq, missed[0].message_seq, "asked from the first seq it lacks");
      // A late msg.notify of the same messages changes nothing.
      await fake.notify(missed);
      assert.equal((await s`select count(*)::int as n from messages where client_msg_no like 'gap-%'`)[0].n, 4);
    } finally {
      await s.end();
      await server.stop();
    }
  });

  test("a failed CMD is retried with backoff, and survives a restart", async () => {
    const { fake, server } = await withWukongim(3);
    const port = new URL(fake.url).port;
    const alice = await Client.login(server.url, "alice");
    const sent = await alice.send("general", "retry me", "wk-retry");
    const s = openSql(db.url);
    // The seeded members' CMD bindings (queued at start) are through: the next call is the CMD.
    await waitUntil("the CMD bindings", async () => (await s`select 1 from outbox where delivered_at is null`).length === 0);
    fake.failNext = 1;
    assert.equal((await alice.post(`/api/messages/${sent.body.message.message_id}/revoke`)).status, 200);
    await waitUntil("a retry after the 500", () => revokeSends(fake).length >= 2);
    try {
      await waitUntil("the outbox entry delivered", async () => {
        const [r] = await s`select delivered_at, attempts from outbox where topic = 'wukongim:revoke_cmd' order by id desc limit 1`;
        return r?.delivered_at !== null && r?.attempts === 2;
      });

      // WuKongIM down, then imdesk restarted: the CMD waits in the outbox and goes out when both are back.
      const next = await alice.send("general", "restart me", "wk-restart");
      await fake.stop();
      assert.equal((await alice.post(`/api/messages/${next.body.message.message_id}/revoke`)).status, 200);
      await waitUntil("a failed attempt", async () => {
        const [r] = await s`select attempts, last_error from outbox where topic = 'wukongim:revoke_cmd' order by id desc limit 1`;
        return r.attempts >= 1 && /unreachable/.test(r.last_error);
      });
      await server.stop();
      const back = stack.track(await new FakeWuKongIM({ version: 3, token: TOKEN }).start(Number(port)));
      const restarted = await stack.server({
        DATABASE_URL: db.url,
        WEBHOOK_SECRET: SECRET,
        WUKONGIM_API_URL: back.url,
        WUKONGIM_MANAGER_TOKEN: TOKEN,
      });
      // The entry waits out its backoff (1 s after one failure), then is delivered.
      await waitUntil("the CMD after the restart", () => revokeSends(back).length > 0, 30_000);
      const cmd = revokeSends(back)[0];
      assert.deepEqual(decode(cmd.body.payload).param, {
        message_id: next.body.message.message_id,
        channel_id: "general",
        channel_type: 2,
      });
      assert.deepEqual([...cmd.body.subscribers].sort(), ["admin", "alice", "bob", "carol", "dave"], "the members, looked up at delivery");
      await restarted.stop();
    } finally {
      await s.end();
    }
  });

  test("revoking a message the webhook never delivered: fetched from WuKongIM by id, stored, then recalled", async () => {
    const { fake, server } = await withWukongim(2);
    try {
      const lost = fake.store({
        header: { no_persist: 0, red_dot: 1, sync_once: 0 },
        client_msg_no: "lost-1",
        from_uid: "alice",
        channel_id: "general",
        channel_type: 2,
        payload: Buffer.from(JSON.stringify({ type: 1, content: "never delivered" })).toString("base64"),
        message_seq: 5000,
      });
      const alice = await Client.login(server.url, "alice");
      const res = await alice.post(`/api/messages/${lost.message_id}/revoke`, { channel_id: "general", channel_type: 2 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const fetch = fake.requests.find((r) => r.path === "/messages")!;
      assert.match(fetch.raw, new RegExp(`"message_ids":\\[${lost.message_id}\\]`), "ids go out as int64 numbers");
      const history = await alice.get("/api/channels/general/messages?after_seq=4999");
      assert.deepEqual(
        history.body.messages.map((m: any) => [m.message_id, m.revoked, m.payload]),
        [[String(lost.message_id), true, null]],
      );
    } finally {
      await server.stop();
      await fake.stop();
    }
  });

  test("a wrong manager token: WuKongIM answers 401 and the send is a clear 502", async () => {
    const { fake, server } = await withWukongim(3, { WUKONGIM_MANAGER_TOKEN: "wrong" });
    try {
      const alice = await Client.login(server.url, "alice");
      const res = await alice.send("general", "no entry");
      assert.equal(res.status, 502);
      assert.equal(res.body.error.code, "gateway_error");
      assert.match(res.body.error.message, /401/);
    } finally {
      await server.stop();
      await fake.stop();
    }
  });

  test("v3 (no POST /messages): a lost person-chat message is found through /channel/messagesync in one request, addressed by imdesk's id or the peer's uid; main's timestamp 0 never becomes 1970, so its sender can recall it", async () => {
    const { fake, server } = await withWukongim(3);
    try {
      const lost = (content: string) =>
        fake.store({
          header: { no_persist: 0, red_dot: 1, sync_once: 0 },
          client_msg_no: `lost-${content}`,
          from_uid: "alice",
          channel_id: "bob",
          channel_type: 1,
          payload: Buffer.from(JSON.stringify({ type: 1, content })).toString("base64"),
        });
      const bySeq = lost("by seq");
      const byLatest = lost("among the latest");
      const alice = await Client.login(server.url, "alice");
      const { personChannelId } = await import("@/lib/wukongim/channel-key");
      const dm = personChannelId("alice", "bob");
      const first = await alice.post(`/api/messages/${bySeq.message_id}/revoke`, {
        channel_id: dm,
        channel_type: 1,
        message_seq: bySeq.message_seq,
      });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const second = await alice.post(`/api/messages/${byLatest.message_id}/revoke`, { channel_id: "bob", channel_type: 1 });
      assert.equal(second.status, 200, JSON.stringify(second.body));
      // The line is known (main): each lookup is one messagesync, never a /messages that 404s first.
      assert.deepEqual(
        fake.requests.filter((r) => r.path === "/messages" || r.path === "/channel/messagesync").map((r) => r.path),
        ["/channel/messagesync", "/channel/messagesync"],
      );
      const syncs = fake.requests.filter((r) => r.path === "/channel/messagesync").map((r) => r.body);
      assert.deepEqual(
        syncs.map((b) => [b.login_uid, b.channel_id, b.start_message_seq, b.end_message_seq]),
        [
          ["alice", "bob", bySeq.message_seq, bySeq.message_seq + 1],
          ["alice", "bob", 0, 0],
        ],
      );
      const history = await alice.get(`/api/channels/${encodeURIComponent(dm)}/messages`);
      assert.deepEqual(
        history.body.messages.map((m: any) => [m.message_id, m.revoked]),
        [
          [String(bySeq.message_id), true],
          [String(byLatest.message_id), true],
        ],
      );
      // main answered "timestamp":0: the send time comes from the snowflake id, to the second WuKongIM stored.
      assert.deepEqual(
        history.body.messages.map((m: any) => m.timestamp),
        [bySeq.timestamp, byLatest.timestamp],
      );
    } finally {
      await server.stop();
      await fake.stop();
    }
  });

  test('v3 refusing a send (HTTP 200, reason ≠ 1, message_id 0) is a clear 502, never a pending message "0"', async () => {
    const { fake, server } = await withWukongim(3);
    try {
      const alice = await Client.login(server.url, "alice");
      fake.refuseNext = 1;
      const res = await alice.send("general", "refused", "refused-1");
      assert.equal(res.status, 502, JSON.stringify(res.body));
      assert.equal(res.body.error.code, "gateway_error");
      assert.match(res.body.error.message, /refused the message \(reason 4\)/);
      const retry = await alice.send("general", "refused", "refused-1");
      assert.equal(retry.status, 201, "the same client_msg_no goes through once WuKongIM accepts");
      assert.notEqual(retry.body.message.message_id, "0");
    } finally {
      await server.stop();
      await fake.stop();
    }
  });
});
