import assert from "node:assert/strict";
import { test } from "node:test";
import { runLoad } from "../bench/load";
import { withServer } from "./support/harness";

// The small form of `npm run load`: sends, reads and revokes at once, then nothing lost, nothing doubled, counts exact.
const AUTH_SECRET = "load-test-secret-0123456789abcdef";
process.env.AUTH_SECRET = AUTH_SECRET;
const ctx = withServer({ AUTH_SECRET });

test("40 sockets in 4 groups, 1,000 sends, reads and revokes: every count exact, every event once", async () => {
  const report = await runLoad({ url: ctx.url, databaseUrl: ctx.db.url, clients: 40, groups: 4, ops: 1000 });
  assert.deepEqual(report.problems, []);
  assert.ok(report.sends > 0 && report.reads > 0 && report.revokes > 0, JSON.stringify(report));
});
