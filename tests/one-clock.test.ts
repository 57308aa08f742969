import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

// One clock (lib/clock.ts): test mode moves it, and every rule must follow.
// So no code in lib/ reads the machine's time itself, and SQL gets the
// clock's time as a parameter where a rule depends on it. An entry below is
// allowed only with the reason it is not a rule.
const ALLOWED: Record<string, string> = {
  "lib/db/queries/users.ts: sql`coalesce(${users.disabledAt}, now())`":
    "a record stamp (when an admin disabled the account), no rule reads it",
  "lib/db/queries/channels.ts: joinedAt: sql`now()`": "a record stamp of membership; receipts count by seq, not by time",
  "lib/db/queries/push-notifications.ts: retractedAt: sql`now()`": "a record stamp on a push record (audit display)",
  "lib/db/queries/presence.ts: updatedAt: sql`now()`": "a record stamp (presence row freshness for the admin page)",
  "lib/db/queries/outbox.ts: now()":
    "the outbox's lease and retry times pace delivery against the dispatcher's timers, which run on the machine's clock",
  "lib/db/queries/admin-stats.ts: now()": "the admin console's chart windows (a view of recent hours/days), not a rule",
  "lib/db/queries/admin-logs.ts: now()": "the admin console's webhook log window, not a rule",
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return filesUnder(p);
    return /\.tsx?$/.test(name) ? [p] : [];
  });
}

test("no rule in lib/ reads the machine's time: Date.now(), new Date() and SQL now() only through lib/clock.ts or with a reason", () => {
  const found: string[] = [];
  for (const file of filesUnder("lib")) {
    if (file === path.join("lib", "clock.ts")) continue;
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, "");
      const js = /\bDate\.now\(\)|\bnew Date\(\s*\)/.test(code);
      // SQL's now()/current_timestamp/clock_timestamp(), not a call of the clock's own now() (imported, bare).
      const sqlNow =
        /(?<![\w.])now\(\)|current_timestamp|clock_timestamp\(\)/i.test(code) &&
        /sql`|^\s*(?:select|update|insert|where|with|from|set|and|or)\b|`/i.test(code);
      if (!js && !(sqlNow && file.includes(`${path.sep}db${path.sep}`))) return;
      const rel = file.split(path.sep).join("/");
      const allowed = Object.keys(ALLOWED).some((k) => {
        const [f, snippet] = k.split(": ");
        return f === rel && (snippet === "now()" ? !js : code.includes(snippet));
      });
      if (!allowed) found.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, [], "read the time from lib/clock.ts (now(), nowDate()), or pass it to SQL as a parameter");
});
