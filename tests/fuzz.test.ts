import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { Client } from "./support/clients";
import { withServer } from "./support/harness";
import { openSql } from "./support/sql";

// Property-based bad input across every route and the socket event: generated
// malformed, oversized, wrongly typed and boundary requests. Never a 5xx,
// always the error shape, and invalid writes change nothing in the database.
const SECRET = "fuzz-webhook-secret-123";
const ctx = withServer({ WEBHOOK_SECRET: SECRET });

const trickyIds = [
  "general",
  "99999999999999999999999",
  "9223372036854775808",
  "18446744073709551616",
  "-1",
  "0",
  "1e9",
  "null",
  "%00",
  "%ZZ",
  "%F0%9F",
  "a%2Fb",
  "..",
  "x".repeat(300),
  "%E2%80%AE",
  "g%20g",
];
const idArb = fc.oneof(
  fc.constantFrom(...trickyIds),
  fc.string({ unit: "binary-ascii", maxLength: 40 }).map(encodeURIComponent),
  fc.bigInt({ min: 0n, max: 2n ** 80n }).map(String),
);

const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const nasty = fc.oneof(
  fc.string({ unit: "binary", maxLength: 50 }),
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "\udfff x", "‮", "<script>alert(1)</script>", "' or 1=1 --", "x".repeat(9000)),
);
const wrongValue = fc.oneof(
  nasty,
  fc.double(),
  fc.constantFrom(-1, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, 1e308, -0, 0.5, true, null),
  fc.jsonValue({ maxDepth: 3 }),
);
const bodyArb = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("", "null", "[]", "{", '{"a":', deep(50), deep(10_000), `{"payload":${deep(40)}}`, "x".repeat(70_000)),
  fc
    .record(
      {
        message_seq: wrongValue,
        payload: wrongValue,
        client_msg_no: wrongValue,
        name: wrongValue,
        members: wrongValue,
        uids: wrongValue,
        receipts: wrongValue,
        reason: wrongValue,
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
);
const contentTypeArb = fc.constantFrom(
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  undefined,
);
const queryArb = fc.oneof(
  fc.constant(""),
  fc
    .record(
      {
        limit: wrongValue,
        before_seq: wrongValue,
        after_seq: wrongValue,
        since: wrongValue,
        cursor: wrongValue,
        from: wrongValue,
        rule: wrongValue,
        event: wrongValue,
      },
      { requiredKeys: [] },
    )
    .map((o) => `?${new URLSearchParams(Object.entries(o).map(([k, v]) => [k, typeof v === "string" ? v : String(JSON.stringify(v))]))}`),
);

type Route = { method: string; path: (id: string) => string; as: "alice" | "admin" | "none" };
const ROUTES: Route[] = [
  { method: "POST", path: () => "/api/auth/token", as: "none" },
  { method: "GET", path: () => "/api/channels", as: "alice" },
  { method: "POST", path: () => "/api/channels", as: "alice" },
  { method: "GET", path: (id) => `/api/channels/${id}/members`, as: "alice" },
  { method: "POST", path: (id) => `/api/channels/${id}/members`, as: "alice" },
  { method: "DELETE", path: (id) => `/api/channels/${id}/members/${id}`, as: "alice" },
  { method: "GET", path: (id) => `/api/channels/${id}/messages`, as: "alice" },
  { method: "POST", path: (id) => `/api/channels/${id}/messages`, as: "alice" },
  { method: "POST", path: (id) => `/api/channels/${id}/read`, as: "alice" },
  { method: "GET", path: (id) => `/api/channels/${id}/changes`, as: "alice" },
  { method: "PATCH", path: (id) => `/api/channels/${id}/settings`, as: "alice" },
  { method: "POST", path: (id) => `/api/messages/${id}/revoke`, as: "alice" },
  { method: "GET", path: (id) => `/api/messages/${id}/receipts`, as: "alice" },
  { method: "GET", path: () => "/api/users", as: "alice" },
  { method: "POST", path: (id) => `/api/webhooks/wukongim/${id}?event=msg.notify`, as: "none" },
  { method: "GET", path: () => "/api/admin/revocations", as: "admin" },
  { method: "GET", path: () => "/api/admin/revocations/export", as: "admin" },
  { method: "GET", path: (id) => `/api/admin/revocations/${id}`, as: "admin" },
  { method: "GET", path: () => "/api/admin/receipts/stats", as: "admin" },
  { method: "GET", path: () => "/api/admin/webhooks/events", as: "admin" },
  { method: "GET", path: (id) => `/api/admin/webhooks/events/${id}`, as: "admin" },
  { method: "POST", path: (id) => `/api/admin/webhooks/events/${id}/replay`, as: "admin" },
  { method: "GET", path: () => "/api/admin/push", as: "admin" },
  { method: "POST", path: () => "/api/admin/users", as: "admin" },
  { method: "PATCH", path: (id) => `/api/admin/users/${id}`, as: "admin" },
  { method: "GET", path: (id) => `/api/${id}`, as: "alice" },
];

async function tableCounts() {
  const s = openSql(ctx.db.url);
  try {
    const [r] =
      await s`select (select count(*) from messages)::int m, (select count(*) from channels)::int c, (select count(*) from channel_members)::int cm,
      (select count(*) from revocations)::int r, (select count(*) from read_events)::int e, (select count(*) from users)::int u,
      (select count(*) from outbox)::int o, (select count(*) from im_messages)::int i, (select coalesce(sum(last_read_seq), 0))::int8::text as cursors from channel_members`;
    return r;
  } finally {
    await s.end();
  }
}

let generated = 0;
// Signed in once: the fuzzing itself exhausts the sign-in rate limit of 127.0.0.1 (as it should).
let signedIn: Promise<{ alice: Client; admin: Client }> | undefined;
const clients = () =>
  (signedIn ??= Promise.all([Client.login(ctx.url, "alice"), Client.login(ctx.url, "admin")]).then(([alice, admin]) => ({ alice, admin })));
async function send(
  tokens: Record<string, string>,
  route: Route,
  id: string,
  query: string,
  body: string | undefined,
  contentType?: string,
) {
  generated++;
  const headers: Record<string, string> = {};
  if (route.as !== "none") headers.authorization = `Bearer ${tokens[route.as]}`;
  if (contentType) headers["content-type"] = contentType;
  let path = route.path(id);
  if (route.method === "GET") path += query.startsWith("?") && path.includes("?") ? `&${query.slice(1)}` : query;
  const res = await fetch(`${ctx.url}${path}`, { method: route.method, headers, body: route.method === "GET" ? undefined : body });
  const text = await res.text();
  return { status: res.status, text };
}

function assertErrorShape(status: number, text: string, what: string) {
  assert.ok(status < 500, `${what} → ${status} ${text.slice(0, 200)}`);
  if (status >= 400) {
    const body = JSON.parse(text);
    assert.match(body.error.code, /^[a-z_]+$/, what);
    assert.equal(typeof body.error.message, "string", what);
  }
}

describe("generated bad input", () => {
  test("1,000+ random requests across every route: never a 5xx, errors always in the docs/api.md shape", async () => {
    const { alice, admin } = await clients();
    const tokens = { alice: alice.token, admin: admin.token };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), idArb, queryArb, bodyArb, contentTypeArb, async (route, id, query, body, ct) => {
        const { status, text } = await send(tokens, route, id, query, body, ct);
        assertErrorShape(status, text, `${route.method} ${route.path(id)} ${body.slice(0, 60)}`);
      }),
      { numRuns: 1000 },
    );
  });

  test("invalid writes are a 4xx and change nothing", async () => {
    const { alice, admin } = await clients();
    const tokens = { alice: alice.token, admin: admin.token };
    const own = (await alice.send("general", "fuzz target")).body.message;
    const before = await tableCounts();
    const invalidPayload = fc.oneof(
      fc.constant(null),
      fc.record({ type: fc.oneof(nasty, fc.constantFrom(0, 99, 1006, 1.5, -3, 2 ** 40)), content: fc.string() }),
      fc.record({
        type: fc.constant(1),
        content: fc.oneof(fc.constantFrom("", "   ", "x".repeat(8001), "a\u0000", "\ud800"), fc.integer()),
      }),
    );
    const cases: fc.Arbitrary<[Route, string, string]> = fc.oneof(
      fc.tuple(
        fc.constant(ROUTES[7]),
        fc.constant("general"),
        invalidPayload.map((p) => JSON.stringify({ payload: p })),
      ),
      fc.tuple(
        fc.constant(ROUTES[7]),
        fc.constant("general"),
        fc.constantFrom("[]", "1", '"x"', "null", `{"payload":${deep(60)}}`, "x".repeat(70_000)),
      ),
      fc.tuple(
        fc.constant(ROUTES[8]),
        fc.constant("general"),
        wrongValue
          .filter((v) => !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= Number.MAX_SAFE_INTEGER))
          .map((v) => JSON.stringify({ message_seq: v })),
      ),
      fc.tuple(
        fc.constant(ROUTES[11]),
        fc.constant(own.message_id),
        fc.oneof(fc.integer(), fc.constant("x".repeat(501)), fc.constant("\u0000")).map((r) => JSON.stringify({ reason: r })),
      ),
      fc.tuple(
        fc.constant(ROUTES[2]),
        fc.constant(""),
        fc
          .record({ name: fc.oneof(fc.constant(""), fc.constant("x".repeat(101)), fc.integer()), members: fc.constant([]) })
          .map((v) => JSON.stringify(v)),
      ),
      fc.tuple(
        fc.constant(ROUTES[4]),
        fc.constant("general"),
        fc
          .oneof(fc.constant({ uids: [] }), fc.constant({ uids: ["no such user"] }), fc.constant({ uids: "bob" }))
          .map((v) => JSON.stringify(v)),
      ),
      fc.tuple(
        fc.constant(ROUTES[10]),
        fc.constant("general"),
        wrongValue.filter((v) => typeof v !== "boolean").map((v) => JSON.stringify({ receipts: v })),
      ),
      fc.tuple(
        fc.constant(ROUTES[23]),
        fc.constant(""),
        fc
          .record({ uid: fc.constantFrom("bad uid", "", "x".repeat(65)), name: fc.string(), password: fc.constant("short") })
          .map((v) => JSON.stringify(v)),
      ),
      fc.tuple(fc.constant(ROUTES[14]), fc.constantFrom("wrong", "x".repeat(200), SECRET.slice(0, -1)), fc.constantFrom("[]", "{}", "x")),
      fc.tuple(
        fc.constant(ROUTES[0]),
        fc.constant(""),
        fc.record({ username: fc.string(), password: fc.string() }).map((v) => JSON.stringify(v)),
      ),
    );
    await fc.assert(
      fc.asyncProperty(cases, contentTypeArb, async ([route, id, body], ct) => {
        const { status, text } = await send(tokens, route, id, "", body, ct);
        assertErrorShape(status, text, `${route.method} ${route.path(id)} ${body.slice(0, 60)}`);
        assert.ok(status >= 400 && status < 500, `${route.method} ${route.path(id)} ${body.slice(0, 80)} → ${status}`);
      }),
      { numRuns: 400 },
    );
    assert.deepEqual(await tableCounts(), before);
    assert.ok(generated >= 1000, `${generated} generated requests`);
  });

  test("the socket read event survives anything it is sent", async () => {
    const { alice } = await clients();
    const socket = await alice.connect();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ channel_id: wrongValue, message_seq: wrongValue }, { requiredKeys: [] })),
          async (input) => {
            const ack = await socket.socket.timeout(5000).emitWithAck("read", input as never);
            assert.equal(typeof ack.ok, "boolean");
            if (!ack.ok) assert.match(ack.error.code, /^[a-z_]+$/);
          },
        ),
        { numRuns: 200 },
      );
      assert.ok(socket.socket.connected);
    } finally {
      socket.close();
    }
  });
});
