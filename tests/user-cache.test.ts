import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { hashPassword } from "@/lib/auth/password";
import { Client, sleep } from "./support/clients";
import type { TestDatabase } from "./support/database";
import { testStack } from "./support/harness";
import { migrateUpTo } from "./support/migrations";
import type { TestServer } from "./support/server";
import { withSql } from "./support/sql";

// The cached account lookup (lib/auth/user-cache.ts) on two instances behind
// one database: a change made through imdesk takes effect on the very next
// request on the other instance, a change made in SQL reaches every
// instance's cache, and a lost listener connection never leaves a stale row.
const AUTH_SECRET = "user-cache-test-secret-0123456789abcdef";
process.env.AUTH_SECRET = AUTH_SECRET;
const stack = testStack();
let db: TestDatabase;
let a: TestServer;
let b: TestServer;

before(async () => {
  ({
    db,
    servers: [a, b],
  } = await stack.servers(2, { CLUSTER: "postgres", AUTH_SECRET }));
});

const listChannels = (c: Client) => c.get("/api/channels");

/** The listener connections of both instances (lib/auth/user-cache.ts LISTENs and then idles). */
const listenerPids = () =>
  withSql(db.url, async (s) =>
    (await s`select pid from pg_stat_activity where query = 'listen imdesk_users'`).map((r) => Number(r.pid)).sort(),
  );

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe("the cached account lookup across instances (CLUSTER=postgres)", () => {
  test("an admin's disable on A refuses the very next request on B, and re-enabling lets it in again — every round", async () => {
    const admin = await Client.login(a.url, "admin");
    const bobB = await Client.login(b.url, "bob");
    await until("both listeners", async () => (await listenerPids()).length === 2);
    for (let round = 0; round < 15; round++) {
      // Cached on B (twice: the second is answered from the cache).
      assert.equal((await listChannels(bobB)).status, 200);
      assert.equal((await listChannels(bobB)).status, 200);
      assert.equal((await admin.patch("/api/admin/users/bob", { disabled: true })).status, 200);
      const refused = await listChannels(bobB);
      assert.equal(refused.status, 401, `round ${round}: a disabled account was served on B`);
      assert.equal(refused.body.error.code, "account_disabled");
      assert.equal((await admin.patch("/api/admin/users/bob", { disabled: false })).status, 200);
      assert.equal((await listChannels(bobB)).status, 200, `round ${round}: a re-enabled account was refused on B`);
    }
  });

  test("a role changed in SQL reaches B's cache: a demoted admin loses the admin console there", async () => {
    const carolB = await Client.login(b.url, "carol");
    await withSql(db.url, (s) => s`update users set role = 'admin' where uid = 'carol'`);
    await until("carol's promotion on B", async () => (await carolB.get("/api/admin/users")).status === 200);
    // Cached as admin now; the demotion must reach the cache, not wait for it to age.
    assert.equal((await carolB.get("/api/admin/users")).status, 200);
    await withSql(db.url, (s) => s`update users set role = 'user' where uid = 'carol'`);
    await until("carol's demotion on B", async () => (await carolB.get("/api/admin/users")).status === 403);
  });

  test("a change committed while the listener connections die is not served from the cache once they are back", async () => {
    const daveA = await Client.login(a.url, "dave");
    const daveB = await Client.login(b.url, "dave");
    const before = await until("both listeners", async () => {
      const pids = await listenerPids();
      return pids.length === 2 && pids;
    });
    for (const c of [daveA, daveB]) assert.equal((await listChannels(c)).status, 200);
    for (const c of [daveA, daveB]) assert.equal((await listChannels(c)).status, 200);
    // The listeners are killed inside the disabling transaction: they are gone before it commits, so
    // its notification reaches nobody. Only dropping the cache with the connection keeps this exact.
    await withSql(db.url, (s) =>
      s.begin(async (tx) => {
        await tx`update users set disabled_at = now() where uid = 'dave'`;
        await tx`select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen imdesk_users'`;
      }),
    );
    await until("new listeners", async () => {
      const pids = await listenerPids();
      return pids.length === 2 && pids.every((p) => !before.includes(p));
    });
    for (const c of [daveA, daveB]) {
      const res = await listChannels(c);
      assert.equal(res.status, 401, `${c.baseUrl === a.url ? "A" : "B"} served a disabled account from its cache`);
    }
  });
});

describe("upgrading to the users notification (0007)", () => {
  test("a populated 0006 database keeps its accounts, and a disable in SQL then reaches the server's cache", async () => {
    const old = await stack.database();
    await migrateUpTo(old.url, 6);
    const passwordHash = await hashPassword("demo-password");
    await withSql(old.url, async (s) => {
      await s`insert into users ${s(["alice", "bob"].map((uid) => ({ uid, name: uid.toUpperCase(), password_hash: passwordHash, role: "user" })))}`;
    });
    const server = await stack.server({ DATABASE_URL: old.url, AUTH_SECRET });
    const bob = await Client.login(server.url, "bob");
    assert.equal((await listChannels(bob)).status, 200);
    assert.equal((await listChannels(bob)).status, 200);
    const names = await withSql(old.url, async (s) => (await s`select uid, name from users order by uid`).map((r) => `${r.uid}:${r.name}`));
    assert.deepEqual(names.slice(0, 2), ["alice:ALICE", "bob:BOB"]);
    await withSql(old.url, (s) => s`update users set disabled_at = now() where uid = 'bob'`);
    await until("the disable on the upgraded server", async () => (await listChannels(bob)).status === 401);
  });
});
