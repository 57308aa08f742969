import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { io } from "socket.io-client";
import { Client } from "./support/clients";
import { withServer } from "./support/harness";
import { openSql } from "./support/sql";

// The authorization matrix: every route and socket event × every kind of
// caller → the outcome docs/api.md specifies. One table, generated into tests.
const ctx = withServer({ WEBHOOK_SECRET: "authz-webhook-secret" });

type Role = "anonymous" | "forged" | "disabled" | "nonmember" | "member" | "sender" | "channel_admin" | "owner" | "system_admin";
const ROLES: Role[] = ["anonymous", "forged", "disabled", "nonmember", "member", "sender", "channel_admin", "owner", "system_admin"];
// Who plays each role in group G: alice owns it, carol is a channel admin, bob sent message M, frank is a plain member.
const PLAYER: Record<Exclude<Role, "anonymous" | "forged">, string> = {
  disabled: "erin",
  nonmember: "dave",
  member: "frank",
  sender: "bob",
  channel_admin: "carol",
  owner: "alice",
  system_admin: "admin",
};

const state = { g: "", m: "", dm: "", tokens: {} as Record<Role, string | undefined> };

const unauth = { anonymous: 401, forged: 401, disabled: 401 } as const;
const members = (ok: number, nonmember = 403, system_admin = 403) =>
  ({ ...unauth, nonmember, member: ok, sender: ok, channel_admin: ok, owner: ok, system_admin }) as Record<Role, number>;
const managers = (ok: number) =>
  ({ ...unauth, nonmember: 403, member: 403, sender: 403, channel_admin: ok, owner: ok, system_admin: ok }) as Record<Role, number>;
const adminsOnly = { ...unauth, nonmember: 403, member: 403, sender: 403, channel_admin: 403, owner: 403, system_admin: 200 } as Record<
  Role,
  number
>;
// A DM between alice (owner of G) and frank (plain member of G): its membership and name never change, for anyone.
const dmFixed = { ...unauth, nonmember: 403, member: 409, sender: 403, channel_admin: 403, owner: 409, system_admin: 409 } as Record<
  Role,
  number
>;
const anyUser = (ok: number) =>
  ({ ...unauth, nonmember: ok, member: ok, sender: ok, channel_admin: ok, owner: ok, system_admin: ok }) as Record<Role, number>;

const absent = Object.fromEntries(ROLES.map((r) => [r, 404])) as Record<Role, number>;

const MATRIX: [string, string, () => string, unknown, Record<Role, number>][] = [
  ["list channels", "GET", () => "/api/channels", undefined, anyUser(200)],
  ["user directory", "GET", () => "/api/users", undefined, anyUser(200)],
  ["create group", "POST", () => "/api/channels", { name: "matrix", members: [] }, anyUser(201)],
  ["history", "GET", () => `/api/channels/${state.g}/messages`, undefined, members(200)],
  ["send", "POST", () => `/api/channels/${state.g}/messages`, { payload: { type: 1, content: "matrix" } }, members(201)],
  ["read", "POST", () => `/api/channels/${state.g}/read`, { message_seq: 1 }, members(200)],
  ["changes", "GET", () => `/api/channels/${state.g}/changes`, undefined, members(200)],
  ["members", "GET", () => `/api/channels/${state.g}/members`, undefined, members(200, 403, 200)],
  ["add members", "POST", () => `/api/channels/${state.g}/members`, { uids: ["frank"] }, managers(200)],
  ["settings", "PATCH", () => `/api/channels/${state.g}/settings`, { receipts: true }, managers(200)],
  ["rename", "PATCH", () => `/api/channels/${state.g}`, { name: "Matrix" }, managers(200)],
  [
    "set a member's role",
    "PATCH",
    () => `/api/channels/${state.g}/members/frank`,
    { role: "member" },
    { ...unauth, nonmember: 403, member: 403, sender: 403, channel_admin: 403, owner: 200, system_admin: 200 },
  ],
  [
    "remove the owner",
    "DELETE",
    () => `/api/channels/${state.g}/members/alice`,
    undefined,
    { ...unauth, nonmember: 403, member: 403, sender: 403, channel_admin: 403, owner: 409, system_admin: 403 },
  ],
  [
    "open a DM with bob",
    "POST",
    () => "/api/channels/direct",
    { uid: "bob" },
    { ...unauth, nonmember: 201, member: 201, sender: 400, channel_admin: 201, owner: 201, system_admin: 201 },
  ],
  ["add to a DM", "POST", () => `/api/channels/${state.dm}/members`, { uids: ["bob"] }, dmFixed],
  ["remove frank from a DM (frank: leave it)", "DELETE", () => `/api/channels/${state.dm}/members/frank`, undefined, dmFixed],
  ["rename a DM", "PATCH", () => `/api/channels/${state.dm}`, { name: "Ours" }, dmFixed],
  ["a role in a DM", "PATCH", () => `/api/channels/${state.dm}/members/frank`, { role: "admin" }, dmFixed],
  // Counts and lists alike, only for whoever may see the lists (counts would tell read positions).
  [
    "receipts of M",
    "GET",
    () => `/api/messages/${state.m}/receipts`,
    undefined,
    { ...unauth, nonmember: 403, member: 403, sender: 200, channel_admin: 200, owner: 200, system_admin: 200 },
  ],
  [
    "revoke M",
    "POST",
    () => `/api/messages/${state.m}/revoke`,
    {},
    { ...unauth, nonmember: 403, member: 403, sender: 200, channel_admin: 200, owner: 200, system_admin: 200 },
  ],
  ["admin revocations", "GET", () => "/api/admin/revocations", undefined, adminsOnly],
  ["admin receipts", "GET", () => "/api/admin/receipts/stats", undefined, adminsOnly],
  ["admin webhooks", "GET", () => "/api/admin/webhooks/events", undefined, adminsOnly],
  ["admin push", "GET", () => "/api/admin/push", undefined, adminsOnly],
  ["admin presence", "GET", () => "/api/admin/presence", undefined, adminsOnly],
  ["admin users", "GET", () => "/api/admin/users", undefined, adminsOnly],
  ["admin health", "GET", () => "/api/admin/health", undefined, adminsOnly],
  ["admin overview", "GET", () => "/api/admin/overview", undefined, adminsOnly],
  // Test mode is off here: its routes do not exist for anyone, admins included (tests/test-mode.test.ts covers it on).
  ["test reset", "POST", () => "/api/test/reset", undefined, absent],
  ["test seed", "POST", () => "/api/test/seed", { users: [{ uid: "mallory" }] }, absent],
  ["test clock", "POST", () => "/api/test/clock", { advance_ms: 130000 }, absent],
  ["test session", "POST", () => "/api/test/session", { uid: "admin" }, absent],
  ["test rate limits", "POST", () => "/api/test/rate-limits", { enabled: false }, absent],
  ["test webhook", "POST", () => "/api/test/webhook", { event: "user.onlinestatus", body: [] }, absent],
];

describe("authorization matrix", () => {
  // Inside the suite, so it runs after the file's server is up.
  before(async () => {
    const s = openSql(ctx.db.url);
    try {
      const [{ password_hash }] = await s`select password_hash from users where uid = 'bob'`;
      await s`insert into users ${s([
        { uid: "erin", name: "Erin", password_hash, role: "user" },
        { uid: "frank", name: "Frank", password_hash, role: "user" },
      ])}`;
    } finally {
      await s.end();
    }
    const alice = await Client.login(ctx.url, "alice");
    const g = await alice.post("/api/channels", { name: "Matrix", members: ["bob", "carol", "frank"] });
    state.g = g.body.channel_id;
    state.dm = (await alice.post("/api/channels/direct", { uid: "frank" })).body.channel_id;
    const s2 = openSql(ctx.db.url);
    await s2`update channel_members set role = 'admin' where channel_id = ${state.g} and uid = 'carol'`;
    for (const [role, uid] of Object.entries(PLAYER)) state.tokens[role as Role] = (await Client.login(ctx.url, uid)).token;
    await s2`update users set disabled_at = now() where uid = 'erin'`;
    await s2.end();
    state.tokens.forged = `${state.tokens.member?.slice(0, -4)}AAAA`;
    const bob = new Client(ctx.url, "bob", state.tokens.sender ?? "");
    state.m = (await bob.send(state.g, "the message M")).body.message.message_id;
  });

  for (const [name, method, path, body, expected] of MATRIX) {
    for (const role of ROLES) {
      test(`${name} as ${role} → ${expected[role]}`, async () => {
        const token = state.tokens[role];
        const res = await fetch(`${ctx.url}${path()}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        assert.equal(res.status, expected[role], await res.text());
      });
    }
  }

  for (const role of ROLES) {
    const ok = !["anonymous", "forged", "disabled"].includes(role);
    test(`socket connect as ${role} → ${ok ? "connected" : "refused"}; read of G → ${["nonmember", "system_admin"].includes(role) ? "not_a_member" : "ok"}`, async () => {
      const token = state.tokens[role];
      const socket = io(ctx.url, { auth: token ? { token } : {}, transports: ["websocket"], reconnection: false, forceNew: true });
      try {
        const connected = await new Promise<boolean>((resolve) => {
          socket.once("connect", () => resolve(true));
          socket.once("connect_error", () => resolve(false));
        });
        assert.equal(connected, ok);
        if (!ok) return;
        const ack = await socket.emitWithAck("read", { channel_id: state.g, message_seq: 1 });
        if (["nonmember", "system_admin"].includes(role)) assert.deepEqual([ack.ok, ack.error?.code], [false, "not_a_member"]);
        else assert.equal(ack.ok, true);
      } finally {
        socket.disconnect();
      }
    });
  }
});
