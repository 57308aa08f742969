import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client } from "./support/clients";
import { withServer } from "./support/harness";

// A cursor is opaque, but it comes back from the client: a tuple of the right
// shape can still carry values PostgreSQL refuses. Every admin GET route is
// swept (read from the OpenAPI document the server serves, which lists every
// route the app serves, so a new list cannot be missed) with such cursors.
const ctx = withServer({ WEBHOOK_SECRET: "cursor-test-webhook-secret" });

async function adminGetRoutes(baseUrl: string): Promise<string[]> {
  const doc = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  return (
    Object.entries(doc.paths)
      .filter(([template, ops]) => template.startsWith("/api/admin/") && ops.get)
      // Path parameters get a plausible value; the cursor is what is under test.
      .map(([template]) => template.replace(/\{\w+\}/g, "1"))
  );
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const DATE = "2026-01-01T00:00:00.000000Z";
// Values no position of any list's cursor may hold (text, timestamp or int).
const BAD_VALUES: unknown[] = ["\u0000", "a\u0000b", "\ud800", "", 1e300, 1.5, -1, 2 ** 63, null, true];
const BAD_DATES = ["not a date", "1999-13-45T99:99:99.000000Z", "2026-01-01", "9".repeat(40)];
// Every arity our lists use (1 and 3), each position holding each bad value.
const BAD_CURSORS = [
  ...BAD_VALUES.map((v) => b64([v])),
  ...BAD_VALUES.flatMap((v) => [
    b64([v, "general", 1]),
    b64([DATE, v, 1]),
    b64([DATE, "general", v]),
    b64([v, "1", "alice"]),
    b64([DATE, "1", v]),
  ]),
  ...BAD_DATES.flatMap((d) => [b64([d, "general", 1]), b64([d, "1", "alice"])]),
];

describe("admin list cursors", () => {
  test("a cursor of the right shape with bad values is a 400 invalid_request on every admin list, never a 500", async () => {
    const admin = await Client.login(ctx.url, "admin");
    const routes = await adminGetRoutes(ctx.url);
    assert.ok(routes.includes("/api/admin/users") && routes.includes("/api/admin/push"), routes.join(" "));
    let lists = 0;
    for (const route of routes) {
      // A route reads cursors if it refuses one that is not even base64 JSON; the others must only never fail.
      const garbage = await admin.get(`${route}?cursor=not-a-cursor`);
      const isList = garbage.status === 400 && garbage.body.error.message.startsWith("cursor");
      if (isList) lists++;
      for (const cursor of BAD_CURSORS) {
        const res = await admin.get(`${route}?cursor=${cursor}`);
        assert.ok(res.status < 500, `${route} cursor ${Buffer.from(cursor, "base64url").toString()} → ${res.status}`);
        if (isList) {
          assert.equal(res.status, 400, `${route} cursor ${Buffer.from(cursor, "base64url").toString()}`);
          assert.equal(res.body.error.code, "invalid_request");
        }
      }
    }
    // revocations, receipts/stats, webhooks/events, push, users
    assert.ok(lists >= 5, `${lists} lists found`);
  });

  test("the cursors the lists hand out still page", async () => {
    const admin = await Client.login(ctx.url, "admin");
    for (let i = 0; i < 3; i++)
      assert.equal((await admin.post("/api/admin/users", { uid: `pager${i}`, name: `Pager ${i}`, password: "password-123" })).status, 201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { uid: string }[]; next_cursor: string | null } } = await admin.get(
        `/api/admin/users?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      assert.equal(page.status, 200);
      seen.push(...page.body.items.map((u) => u.uid));
      cursor = page.body.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, [...seen].sort());
    assert.ok(seen.includes("pager2") && seen.includes("alice"));
  });
});
