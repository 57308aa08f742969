import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { call, createClient } from "imdesk/client";
import { app } from "@/lib/http/app";
import { operationOf } from "@/lib/http/operation";
import { Client } from "./support/clients";
import { testStack } from "./support/harness";
import type { TestServer } from "./support/server";

// One database, two servers: the custom server's direct Hono path, and the
// same app through Next's catch-all route (IMDESK_API_VIA_NEXT=1).
const stack = testStack();
const targets: { name: string; server: TestServer }[] = [];
before(async () => {
  const { db, servers } = await stack.servers(1);
  targets.push(
    { name: "direct", server: servers[0] },
    { name: "via Next", server: await stack.server({ DATABASE_URL: db.url, IMDESK_API_VIA_NEXT: "1" }) },
  );
});

async function raw(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), allow: res.headers.get("allow"), text };
}

describe("the OpenAPI document", () => {
  test("is valid OpenAPI 3.1 and lists every route the app serves, each with its answers' schemas", async () => {
    const res = await fetch(`${targets[0].server.url}/api/openapi.json`);
    assert.equal(res.status, 200);
    const doc = await res.json();
    const verdict = await new Validator().validate(doc);
    assert.ok(verdict.valid, String(JSON.stringify(verdict.errors)).slice(0, 1000));
    assert.match(doc.openapi, /^3\.1\./);

    // Every handler chain the app registers starts with operation(): none can be served undocumented.
    const served = new Map<string, boolean>();
    for (const r of app.routes) {
      const key = `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`;
      served.set(key, served.get(key) || Boolean(operationOf(r.handler)));
    }
    for (const [key, documented] of served) assert.ok(documented, `${key} is served without operation()`);
    const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    assert.deepEqual([...served.keys()].sort(), listed.sort());
    for (const family of [
      "revoke",
      "read",
      "receipts",
      "messages",
      "members",
      "direct",
      "settings",
      "changes",
      "webhooks",
      "admin/users",
      "auth/token",
      "health",
    ]) {
      assert.ok(
        listed.some((k) => k.includes(`/${family}`)),
        `nothing for ${family}`,
      );
    }

    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(ops)) {
        const ok = Object.entries(op.responses).filter(([s]) => s.startsWith("2"));
        assert.ok(ok.length > 0, `${method} ${p}: no 2xx`);
        for (const [s, r] of ok as [string, any][])
          assert.ok(
            Object.values(r.content ?? {}).some((m: any) => m.schema),
            `${method} ${p} ${s}: no schema`,
          );
        if (["post", "patch"].includes(method) && !p.endsWith("/replay"))
          assert.ok(op.requestBody?.content?.["application/json"]?.schema, `${method} ${p}: no body schema`);
        // Test mode's routes take the test token, never a user's session (docs/api.md § Test mode).
        if (p.startsWith("/api/test/")) {
          assert.equal(op["x-test-mode-only"], true, `${method} ${p}: marked test-mode-only`);
          assert.deepEqual(op.security, [{ testToken: [] }], `${method} ${p}: security`);
          assert.ok(op.responses["401"] && op.responses["404"], `${method} ${p}: 401 and 404 listed`);
        } else if (!p.startsWith("/api/webhooks") && op.security?.length)
          assert.ok(
            op.security.some((s: object) => "bearer" in s) && op.security.some((s: object) => "session" in s),
            `${method} ${p}: security`,
          );
      }
    }
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ["bearer", "session", "testToken"]);
    const codes = doc.components.schemas.Error.properties.error.properties.code.enum;
    assert.ok(codes.includes("revoke_window_expired") && codes.includes("not_a_member"), "the error code enum is the error table");
    assert.ok(
      doc.paths["/api/messages/{message_id}/revoke"].post.requestBody.content["application/json"].example,
      "examples on the main routes",
    );
    for (const [event, ref] of Object.entries(doc["x-socketio-events"] as Record<string, { $ref: string }>)) {
      assert.ok(doc.components.schemas[ref.$ref.split("/").pop() as string], `${event}: ${ref.$ref}`);
    }
    assert.deepEqual(Object.keys(doc["x-socketio-events"]).sort(), [
      "channel:read",
      "channel:updated",
      "message:new",
      "message:revoked",
      "receipts:update",
      "session:ended",
    ]);
  });

  test("the interactive reference at /docs/api runs under the CSP with its nonce and no CDN", async () => {
    const url = targets[0].server.url;
    const res = await fetch(`${url}/docs/api`);
    assert.equal(res.status, 200);
    const html = await res.text();
    const nonce = res.headers.get("content-security-policy")?.match(/'nonce-([^']+)'/)?.[1];
    assert.ok(nonce);
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.equal(scripts.length, 2);
    for (const attrs of scripts) assert.ok(attrs.includes(`nonce="${nonce}"`), attrs);
    assert.ok(!/https?:\/\//.test(html), "no external URL");
    assert.match(html, /\/api\/openapi\.json/);
    const bundle = await fetch(`${url}/docs/api/scalar.js`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get("content-type") ?? "", /javascript/);
    assert.ok((await bundle.text()).includes("createApiReference"));
  });
});

describe("one API, two serving paths: the custom server and Next's catch-all answer alike", () => {
  test("reads, errors, unknown routes and methods, malformed input", async () => {
    const answers = await Promise.all(
      targets.map(async ({ server }) => {
        const alice = await Client.login(server.url, "alice");
        const bearer = { authorization: `Bearer ${alice.token}` };
        const json = { ...bearer, "content-type": "application/json" };
        const u = (p: string) => `${server.url}${p}`;
        return {
          health: await raw(u("/api/health")),
          healthHead: await raw(u("/api/health"), { method: "HEAD" }),
          channels: await alice.get("/api/channels"),
          trailingSlash: await raw(u("/api/channels/"), { headers: bearer }),
          users: await alice.get("/api/users"),
          members: await alice.get("/api/channels/general/members"),
          history: await alice.get("/api/channels/general/messages?limit=5"),
          openapi: await raw(u("/api/openapi.json")),
          anonymous: await raw(u("/api/channels")),
          notAdmin: await alice.get("/api/admin/overview"),
          unknownRoute: await raw(u("/api/nope"), { headers: bearer }),
          unknownMethod: await raw(u("/api/health"), { method: "DELETE" }),
          badParam: await raw(u("/api/channels/a%20b/members"), { headers: bearer }),
          badId: await alice.post("/api/messages/abc/revoke", {}),
          unknownMessage: await alice.post("/api/messages/123456789/revoke", {}),
          badJson: await raw(u("/api/channels/general/read"), { method: "POST", headers: json, body: "{nope" }),
          badBody: await alice.post("/api/channels/general/messages", { payload: { type: 1, content: "" } }),
          nul: await alice.post("/api/channels/general/messages", { payload: { type: 1, content: "a\u0000" } }),
          tooLarge: await raw(u("/api/channels/general/messages"), {
            method: "POST",
            headers: json,
            body: JSON.stringify({ payload: { type: 1, content: "x".repeat(70_000) } }),
          }),
          webhookSecret: await raw(u("/api/webhooks/wukongim/wrong?event=msg.notify"), { method: "POST", body: "[]" }),
          badLogin: await raw(u("/api/auth/token"), {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ username: "alice", password: "wrong" }),
          }),
          crossOrigin: await raw(u("/api/channels"), { method: "POST", headers: { ...json, origin: "http://evil.example" }, body: "{}" }),
        };
      }),
    );
    const [direct, viaNext] = answers;
    // Malformed percent-encoding is the one known difference: Next answers 500 before any route code runs.
    const undecodable = await raw(`${targets[0].server.url}/api/channels/%ZZ/members`, {
      headers: { authorization: `Bearer ${(await Client.login(targets[0].server.url, "alice")).token}` },
    });
    assert.equal(undecodable.status, 400);
    for (const key of Object.keys(direct) as (keyof typeof direct)[]) assert.deepEqual(viaNext[key], direct[key], key);
    // What the answers are, not only that they agree.
    assert.equal(direct.health.status, 200);
    assert.equal(direct.healthHead.text, "");
    assert.equal(direct.unknownRoute.status, 404);
    assert.equal(JSON.parse(direct.unknownRoute.text).error.code, "not_found");
    assert.deepEqual([direct.unknownMethod.status, direct.unknownMethod.allow], [405, "GET"]);
    assert.deepEqual(
      [
        direct.badParam.status,
        direct.badId.status,
        direct.unknownMessage.status,
        direct.badJson.status,
        direct.badBody.status,
        direct.nul.status,
        direct.tooLarge.status,
      ],
      [400, 400, 404, 400, 400, 400, 413],
    );
    assert.deepEqual(
      [direct.anonymous.status, direct.notAdmin.status, direct.webhookSecret.status, direct.badLogin.status],
      [401, 403, 401, 401],
    );
  });

  test("writes: send, resend, recall and receipts, through the typed client of imdesk/client", async () => {
    for (const { name, server } of targets) {
      const alice = await Client.login(server.url, "alice");
      const api = createClient(server.url, { token: alice.token });
      const param = { channel_id: "general" };
      const json = { client_msg_no: `paths-${name.replace(/\W/g, "")}-${Date.now()}`, payload: { type: 1, content: `through ${name}` } };
      const first = await api.channels[":channel_id"].messages.$post({ param, json });
      assert.equal(first.status, 201, name);
      const sent = await first.json();
      const again = await api.channels[":channel_id"].messages.$post({ param, json });
      assert.equal(again.status, 200, name);
      assert.deepEqual((await again.json()).message.message_id, sent.message.message_id);
      const receipts = await call(api.messages[":message_id"].receipts.$get({ param: { message_id: sent.message.message_id } }));
      assert.equal(receipts.read_count + receipts.unread_count > 0, true, name);
      const recalled = await call(api.messages[":message_id"].revoke.$post({ param: { message_id: sent.message.message_id }, json: {} }));
      assert.deepEqual([recalled.message_id, recalled.revoked_by], [sent.message.message_id, "alice"], name);
      const history = await alice.get(`/api/channels/general/messages?after_seq=${sent.message.message_seq - 1}&limit=1`);
      assert.equal(history.body.messages[0].revoked, true, name);
    }
  });
});
