import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { personChannelId } from "@/lib/wukongim/channel-key";
import { Client } from "./support/clients";
import { messageResp } from "./support/fake-wukongim";
import { withServer } from "./support/harness";
import { withSql } from "./support/sql";

const SECRET = "accounts-test-webhook-secret";
const ctx = withServer({ WEBHOOK_SECRET: SECRET });
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");
let nextId = 1926478392173219840n;

async function notify(items: { from_uid: string; channel_id: string; channel_type: number; message_seq: number; content: string }[]) {
  const body = `[${items
    .map((m) =>
      messageResp({
        header: { no_persist: 0, red_dot: 1, sync_once: 0 },
        message_id: nextId++,
        client_msg_no: `n${nextId}`,
        timestamp: Math.floor(Date.now() / 1000),
        payload: b64({ type: 1, content: m.content }),
        ...m,
      }),
    )
    .join(",")}]`;
  const res = await fetch(`${ctx.url}/api/webhooks/wukongim/${SECRET}?event=msg.notify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: res.status, body: (await res.json()) as { accepted: number; rejected: number } };
}

/** An account as the previous rules could make it (uid with @), signing in with the demo password. */
async function legacyUser(uid: string) {
  await withSql(
    ctx.db.url,
    (s) => s`insert into users (uid, name, password_hash) select ${uid}, ${uid}, password_hash from users where uid = 'alice'`,
  );
}

describe("a uid never contains @ (it separates the two people of a direct conversation's id)", () => {
  test("creating, inviting or messaging a uid with @ is a 400 invalid_request", async () => {
    const admin = await Client.login(ctx.url, "admin");
    const alice = await Client.login(ctx.url, "alice");
    const created = await admin.post("/api/admin/users", { uid: "q@r", name: "Q", password: "password-123" });
    assert.equal(created.status, 400, JSON.stringify(created.body));
    assert.equal(created.body.error.code, "invalid_request");
    await legacyUser("q@r");
    for (const [path, body] of [
      ["/api/channels/direct", { uid: "q@r" }],
      ["/api/channels", { name: "G", members: ["q@r"] }],
      ["/api/channels/general/members", { uids: ["q@r"] }],
    ] as const) {
      const res = await (path === "/api/channels/general/members" ? admin : alice).post(path, body);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "invalid_request");
    }
    const rows = await withSql(ctx.db.url, (s) => s`select channel_id from channel_members where uid = 'q@r'`);
    assert.equal(rows.length, 0);
  });

  test("the two pairs (p, q@r) and (r, p@q) can never share one conversation", async () => {
    const admin = await Client.login(ctx.url, "admin");
    for (const uid of ["p", "r"])
      assert.equal((await admin.post("/api/admin/users", { uid, name: uid.toUpperCase(), password: "demo-password" })).status, 201);
    await legacyUser("p@q");
    const [p, r, pq] = await Promise.all([Client.login(ctx.url, "p"), Client.login(ctx.url, "r"), Client.login(ctx.url, "p@q")]);
    assert.equal((await p.post("/api/channels/direct", { uid: "q@r" })).status, 400);
    assert.equal((await r.post("/api/channels/direct", { uid: "p@q" })).status, 400);
    // An account from before the rule cannot open one either: its pair's id would not be its own.
    assert.equal((await pq.post("/api/channels/direct", { uid: "r" })).status, 400);
    assert.equal((await withSql(ctx.db.url, (s) => s`select channel_id from channels where channel_id like '%@%@%'`)).length, 0);
  });

  test("opening a direct conversation never joins a channel that merely has its id", async () => {
    const carol = await Client.login(ctx.url, "carol");
    const bob = await Client.login(ctx.url, "bob");
    // A group that took the pair's id (e.g. from WuKongIM), with a secret in it.
    const groupId = personChannelId("carol", "dave");
    await withSql(ctx.db.url, async (s) => {
      await s`insert into channels (channel_id, channel_type, name, last_message_seq) values (${groupId}, 2, 'Not a DM', 1)`;
      await s`insert into channel_members (channel_id, uid, role, joined_seq, last_read_seq) values (${groupId}, 'admin', 'owner', 0, 1)`;
      await s`insert into messages (channel_id, message_seq, message_id, client_msg_no, from_uid, channel_type, sent_at, payload)
              values (${groupId}, 1, '77', 'c77', 'admin', 2, now(), '{"type":1,"content":"secret"}')`;
    });
    const res = await carol.post("/api/channels/direct", { uid: "dave" });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.error.code, "conflict");
    assert.equal((await carol.get(`/api/channels/${encodeURIComponent(groupId)}/messages`)).status, 403);

    // A person channel under the pair's id that someone else was ever in is not theirs either.
    const dmId = personChannelId("bob", "carol");
    await withSql(ctx.db.url, async (s) => {
      await s`insert into channels (channel_id, channel_type, name) values (${dmId}, 1, '')`;
      await s`insert into channel_members (channel_id, uid, role, joined_seq, last_read_seq, left_seq) values (${dmId}, 'dave', 'member', 0, 0, 0)`;
    });
    assert.equal((await bob.post("/api/channels/direct", { uid: "carol" })).status, 409);

    // The pair's own conversation opens, and opens again as the same one.
    const first = await bob.post("/api/channels/direct", { uid: "alice" });
    const again = await (await Client.login(ctx.url, "alice")).post("/api/channels/direct", { uid: "bob" });
    assert.equal(first.status, 201);
    assert.equal(again.body.channel_id, first.body.channel_id);
  });

  test("the webhook refuses a sender uid with @ per item, and still takes person chats keyed a@b", async () => {
    const dm = personChannelId("alice", "bob");
    const res = await notify([
      { from_uid: "x@y", channel_id: "general", channel_type: 2, message_seq: 900, content: "from a bad uid" },
      { from_uid: "alice", channel_id: dm, channel_type: 1, message_seq: 900, content: "person chat" },
    ]);
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.accepted, res.body.rejected], [1, 1]);
    assert.equal((await withSql(ctx.db.url, (s) => s`select uid from users where uid = 'x@y'`)).length, 0);
    const kept = await withSql(ctx.db.url, (s) => s`select channel_id from messages where payload->>'content' = 'person chat'`);
    assert.deepEqual(
      kept.map((r) => r.channel_id),
      [dm],
    );
  });
});

describe("sign-in log", () => {
  test("each failed sign-in prints one line, not an Auth.js stack trace", async () => {
    const csrf = await fetch(`${ctx.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const from = ctx.server.output().length;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${ctx.url}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams({ csrfToken, username: "bob", password: `wrong-${i}` }),
      });
      await res.arrayBuffer();
    }
    const logged = async () => ctx.server.output().slice(from);
    for (let i = 0; i < 100 && ((await logged()).match(/sign-in refused/g) ?? []).length < 3; i++)
      await new Promise((r) => setTimeout(r, 100));
    const lines = (await logged()).split("\n").filter(Boolean);
    assert.equal(lines.filter((l) => l.includes('sign-in refused for "bob"')).length, 3, lines.join("\n"));
    assert.deepEqual(
      lines.filter((l) => /CredentialsSignin|^\s+at /.test(l)),
      [],
      lines.join("\n"),
    );
  });
});
