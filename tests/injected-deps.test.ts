import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

// Dependencies passed, not reached for (#20 item 4): boot builds one context
// of services (lib/server/context.ts; its type in lib/shared/context.ts) and
// hands it to the edges, which pass what each service uses. So outside
// lib/server/ (which builds and hands it over) and the modules that own a
// global, no module in lib/ reaches for the global database handle, the
// Socket.IO server, the context's services through their process-wide
// accessors, or the installed context itself — except the entries below,
// each with its reason. No database, no server: it reads the sources.

const ALLOWED: Record<string, string> = {
  "lib/http/app.ts: installedContext":
    "the one accessor: the API app as Next serves it (app/api/**/route.ts), which Next calls itself and so cannot be handed the context",
  "lib/auth/current.ts: installedContext": "the same accessor for pages and layouts (server components), which Next calls itself",
  "lib/auth/next-auth.ts: installedContext": "the same accessor for Auth.js's authorize(), which Auth.js calls itself",
};

/** Where each global lives (its own file may use it) and how a reach for it reads. */
const GLOBALS: { name: string; home: string; reach: RegExp }[] = [
  { name: "db", home: "lib/db/client.ts", reach: /import\s*\{[^}]*(?<!type\s)\bdb\b[^}]*\}\s*from\s*["']@\/lib\/db\/client["']/ },
  { name: "getIo", home: "lib/realtime/", reach: /\b(?:getIo|setIo)\b/ },
  { name: "limiter", home: "lib/security/rate-limit.ts", reach: /\blimiter\(\)/ },
  { name: "rateLimit", home: "lib/security/rate-limit.ts", reach: /\brateLimit\(/ },
  { name: "receiptUpdateCoalescer", home: "lib/shared/update-coalescer.ts", reach: /\breceiptUpdateCoalescer\(\)/ },
  { name: "installedContext", home: "lib/shared/context.ts", reach: /\binstalledContext\b/ },
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return filesUnder(p);
    return /\.tsx?$/.test(name) && !name.endsWith(".unit.test.ts") ? [p] : [];
  });
}

/** Every `file: global` reach in lib/ outside lib/server/ and the global's own home. */
function reaches(): string[] {
  const found: string[] = [];
  for (const file of filesUnder("lib")) {
    const rel = file.split(path.sep).join("/");
    if (rel.startsWith("lib/server/")) continue;
    // Comments may name a global (saying why it is not used); code may not.
    const code = readFileSync(file, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/(^|[^:])\/\/.*$/gm, "$1");
    for (const g of GLOBALS) if (!rel.startsWith(g.home) && g.reach.test(code)) found.push(`${rel}: ${g.name}`);
  }
  return found;
}

test("no module in lib/ outside lib/server/ reaches for the global database, Socket.IO server or context services, bar the listed reasons", () => {
  const found = reaches();
  assert.deepEqual(
    found.filter((r) => !(r in ALLOWED)),
    [],
    "take what the service uses as a parameter (Deps<…> of lib/shared/context.ts), handed down from the route, socket handler or boot",
  );
  // An entry whose reach is gone must go too, so the list only ever shrinks.
  assert.deepEqual(
    Object.keys(ALLOWED).filter((k) => !found.includes(k)),
    [],
    "remove the allow-list entries that no longer reach",
  );
});

test("the check sees a reach at all (a moved client or renamed accessor must not make it pass vacuously)", () => {
  const db = GLOBALS.find((g) => g.name === "db")?.reach;
  assert.ok(db?.test(`import { db } from "@/lib/db/client";`));
  assert.ok(db?.test(`import { db as defaultDb, type Queryable } from "@/lib/db/client";`));
  assert.ok(!db?.test(`import type { Database } from "@/lib/db/client";`), "a type is no reach");
  assert.ok(reaches().includes("lib/http/app.ts: installedContext"), "the one accessor is seen where it is used");
});
