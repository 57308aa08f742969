import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { redactDeliveryBody } from "@/lib/revoke/erase";
import { Client } from "./support/clients";
import { type FakeMessage, messageResp } from "./support/fake-wukongim";
import { withServer } from "./support/harness";
import { withSql } from "./support/sql";

// REVOKE_RETAIN_CONTENT=false promises that a recalled message's content is
// gone from everything imdesk keeps. The test does not list the places by
// hand: it reads every column that can hold text or bytes from the database's
// own catalogue, so a column added later is searched too.
const SECRET = "erasure-test-webhook-secret";
const ctx = withServer({ WEBHOOK_SECRET: SECRET, REVOKE_RETAIN_CONTENT: "false" });
const hook = (event: string) => `${ctx.url}/api/webhooks/wukongim/${SECRET}?event=${event}`;
const post = (url: string, body: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");

function wk(id: bigint, seq: number, content: string): FakeMessage {
  return {
    header: { no_persist: 0, red_dot: 1, sync_once: 0 },
    message_id: id,
    client_msg_no: `e${id}`,
    message_seq: seq,
    from_uid: "alice",
    channel_id: "general",
    channel_type: 2,
    timestamp: Math.floor(Date.now() / 1000),
    payload: b64({ type: 1, content }),
  };
}

/** Every (table, column) of the schema whose values can carry content, with the rows where one of `needles` occurs. */
async function findEverywhere(needles: string[]) {
  return withSql(ctx.db.url, async (s) => {
    const columns = await s<{ table_name: string; column_name: string; data_type: string }[]>`
      select c.table_name, c.column_name, c.data_type
        from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
       where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
         and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')`;
    const hits: string[] = [];
    for (const c of columns) {
      const col = s(c.column_name);
      const asText = c.data_type === "bytea" ? s`convert_from(${col}, 'SQL_ASCII')` : s`${col}::text`;
      for (const needle of needles) {
        const [{ n }] = await s`select count(*)::int as n from ${s(c.table_name)} where strpos(${asText}, ${needle}) > 0`;
        if (n > 0) hits.push(`${c.table_name}.${c.column_name} holds ${JSON.stringify(needle.slice(0, 30))} in ${n} row(s)`);
      }
    }
    return { hits, columns: columns.map((c) => `${c.table_name}.${c.column_name}`) };
  });
}

describe("REVOKE_RETAIN_CONTENT=false", () => {
  test("after a recall no table, log or admin view holds the content; the rest of each delivery is kept", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const admin = await Client.login(ctx.url, "admin");

    // A message of our own, and one from WuKongIM: delivered, re-delivered, pushed offline.
    const local = "local-secret-7f3a";
    const sent = await alice.send("general", local);
    assert.equal(sent.status, 201);
    const im = "wukongim-secret-91c2";
    const target = wk(2026478392173219841n, 700, im);
    const bystander = wk(2026478392173219842n, 701, "bystander-keep-me");
    const notify = `[${messageResp(target)},${messageResp(bystander)}]`;
    for (let i = 0; i < 2; i++) assert.equal((await post(hook("msg.notify"), notify)).status, 200);
    const offline = `${messageResp(target).slice(0, -1)},"to_uids":["bob"],"source_id":1}`;
    assert.equal((await post(hook("msg.offline"), offline)).status, 200);
    const needles = [local, im, target.payload, b64({ type: 1, content: local })];
    assert.ok((await findEverywhere([im])).hits.length >= 2, "the IM content is stored before the recall");

    for (const id of [sent.body.message.message_id, String(target.message_id)]) {
      const res = await alice.post(`/api/messages/${id}/revoke`, { reason: "typo" });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    // WuKongIM re-delivers after the recall: logged already redacted.
    assert.equal((await post(hook("msg.notify"), notify)).status, 200);

    const { hits, columns } = await findEverywhere(needles);
    assert.ok(
      columns.includes("webhook_events.body") && columns.includes("im_messages.payload") && columns.includes("messages.payload"),
      columns.join(" "),
    );
    assert.deepEqual(hits, []);

    // The audit keeps the rest: each delivery, the other item's content, the recalled item's id.
    const bodies = await withSql(ctx.db.url, (s) => s<{ body: string }[]>`select body from webhook_events order by id`);
    assert.equal(bodies.length, 4);
    for (const { body } of bodies) assert.ok(body.includes(String(target.message_id)), body.slice(0, 200));
    assert.equal(bodies.filter(({ body }) => body.includes(bystander.payload)).length, 3);

    // What admins can read or download.
    for (const path of [
      "/api/admin/revocations",
      "/api/admin/push",
      "/api/admin/webhooks/events",
      `/api/admin/revocations/${target.message_id}`,
      "/api/admin/webhooks/events/1",
    ]) {
      const res = await admin.get(path);
      assert.equal(res.status, 200, path);
      for (const n of needles) assert.ok(!JSON.stringify(res.body).includes(n), `${path} shows ${n}`);
    }
    assert.equal((await admin.get(`/api/admin/revocations/${target.message_id}`)).body.original_payload, null);
    const csv = await (
      await fetch(`${ctx.url}/api/admin/revocations/export`, { headers: { authorization: `Bearer ${admin.token}` } })
    ).text();
    assert.match(csv, /typo/);
    for (const n of needles) assert.ok(!csv.includes(n), `export holds ${n}`);
    for (const n of needles) assert.ok(!ctx.server.output().includes(n), `the server log holds ${n}`);
  });

  test("redaction blanks only the recalled item's payload, keeps int64 digits, and works on a truncated body", () => {
    const a = wk(9223372036854775807n, 1, "the first item");
    const b = wk(9223372036854775806n, 2, "zz second, cut off");
    const body = `[${messageResp(a)}, ${messageResp(b)}]`;
    const out = redactDeliveryBody(body, new Set(["9223372036854775807"]));
    assert.equal(out, body.replace(`"payload":"${a.payload}"`, '"payload":""'));
    // The log cut the body inside b's payload: what is left of it goes, a's stays.
    const truncated = body.slice(0, body.length - 6);
    const cut = redactDeliveryBody(truncated, new Set(["9223372036854775806"]));
    assert.ok(!cut.includes(b.payload.slice(0, -4)) && cut.includes(a.payload) && cut.endsWith('"payload":""'), cut);
    assert.equal(redactDeliveryBody(body, new Set(["922337203685477580"])), body);
  });
});
