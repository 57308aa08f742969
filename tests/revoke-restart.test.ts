import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Client, type RecordingSocket } from "./support/clients";
import { testStack } from "./support/harness";
import { openSql } from "./support/sql";

const stack = testStack();
const sockets: RecordingSocket[] = [];
after(() => {
  for (const s of sockets) s.close();
});

const reconnected = (s: RecordingSocket) => new Promise<void>((resolve) => s.socket.once("connect", () => resolve()));
/** A read acknowledged over the socket: everything the server sent this socket before it has arrived. */
const settle = (s: RecordingSocket) => s.socket.timeout(10_000).emitWithAck("read", { channel_id: "general", message_seq: 1 });

test("a revoke committed just before a crash reaches every reconnecting device exactly once", async () => {
  const db = await stack.database();
  const secret = "restart-test-secret-0123456789abcdef";
  // The first process commits the revoke but never dispatches (as if it died right after the commit)…
  const first = await stack.server({ DATABASE_URL: db.url, AUTH_SECRET: secret, OUTBOX_DISPATCH: "off" });
  const [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map((u) => Client.login(first.url, u)));
  const devices = [
    await bob.connect({ device: "bob-phone", reconnection: true }),
    await bob.connect({ device: "bob-laptop", reconnection: true }),
    await carol.connect({ device: "carol-phone", reconnection: true }),
    // A client that sends no device id still gets it once for its reconnection.
    await carol.connect({ reconnection: true }),
  ];
  sockets.push(...devices);
  const sent = await alice.send("general", "recall me across a crash");
  const id = sent.body.message.message_id;
  assert.equal((await alice.post(`/api/messages/${id}/revoke`)).status, 200);
  const back = devices.map(reconnected);
  await first.kill();

  const s = openSql(db.url);
  try {
    const [pending] = await s`select count(*)::int as n from outbox where delivered_at is null and topic = 'message:revoked'`;
    assert.equal(pending.n, 1, "the notice waits in the outbox");

    // …the restarted process (same address) hands it to each device as it reconnects, whenever that is.
    await stack.server({ DATABASE_URL: db.url, AUTH_SECRET: secret, PORT: String(first.port) });
    await Promise.all(back);
    for (const d of devices) await d.waitFor("message:revoked", (e) => e.message_id === id, 20_000);

    // A device that drops and reconnects again is not told twice.
    const again = reconnected(devices[0]);
    devices[0].socket.io.engine.close();
    await again;
    for (const d of devices) await settle(d);
    for (const d of devices) {
      assert.equal(d.of("message:revoked").filter((e) => e.message_id === id).length, 1, "exactly one notice per device");
      assert.equal(d.of("message:revoked")[0].revoked_by, "alice");
    }
    const [left] = await s`select count(*)::int as n from outbox where delivered_at is null`;
    assert.equal(left.n, 0, "nothing left pending");
  } finally {
    await s.end();
  }
});
