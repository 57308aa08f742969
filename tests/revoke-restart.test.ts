import assert from "node:assert/strict";
import { after, test } from "node:test";
import postgres from "postgres";
import { buildIfNeeded } from "../scripts/build-if-needed";
import { Client } from "./support/clients";
import { startTestDatabase } from "./support/database";
import { startTestServer, type TestServer } from "./support/server";

const servers: TestServer[] = [];
let stopDb: (() => Promise<void>) | undefined;
after(async () => {
  for (const s of servers) await s.stop();
  await stopDb?.();
});

test("a revoke committed just before a crash is announced after the restart", async () => {
  buildIfNeeded();
  const db = await startTestDatabase();
  stopDb = db.stop;
  const secret = "restart-test-secret-0123456789abcdef";
  // The first process commits the revoke but never dispatches (as if it died right after the commit)…
  const first = await startTestServer({ DATABASE_URL: db.url, AUTH_SECRET: secret, OUTBOX_DISPATCH: "off" });
  servers.push(first);
  const alice = await Client.login(first.url, "alice");
  const sent = await alice.send("general", "recall me across a crash");
  const id = sent.body.message.message_id;
  assert.equal((await alice.post(`/api/messages/${id}/revoke`)).status, 200);
  await first.kill();

  const s = postgres(db.url, { max: 1, onnotice: () => {} });
  const [pending] = await s`select count(*)::int as n from outbox where delivered_at is null and topic = 'message:revoked'`;
  assert.equal(pending.n, 1, "the notice waits in the outbox");

  // …the restarted server gives reconnecting devices a moment, then delivers it.
  const second = await startTestServer({ DATABASE_URL: db.url, AUTH_SECRET: secret, OUTBOX_STARTUP_GRACE_MS: "4000" });
  servers.push(second);
  const bob = await Client.login(second.url, "bob");
  const socket = await bob.connect();
  try {
    const e = await socket.waitFor("message:revoked", (e) => e.message_id === id, 20_000);
    assert.equal(e.revoked_by, "alice");
    // Marked delivered by the transaction that claimed it, which commits right after the emit.
    let pendingNow = 1;
    for (let i = 0; i < 100 && pendingNow > 0; i++) {
      [{ n: pendingNow }] = await s`select count(*)::int as n from outbox where delivered_at is null`;
      if (pendingNow > 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(pendingNow, 0);
  } finally {
    socket.close();
    await s.end();
  }
});
