import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client, type RecordingSocket } from "./support/clients";
import { withServer } from "./support/harness";
import { openSql } from "./support/sql";

const ctx = withServer();

/** Resolves once `count` of the promises have fulfilled. */
function whenSettled(promises: Promise<unknown>[], count: number) {
  let done = 0;
  return new Promise<void>((resolve) => {
    for (const p of promises)
      p.then(
        () => ++done === count && resolve(),
        () => ++done === count && resolve(),
      );
  });
}

/** Sends a marker and waits until every socket has it: whatever was sent before has arrived too. */
async function drain(sender: Client, sockets: RecordingSocket[], label: string, channelId = "general") {
  const marker = (await sender.send(channelId, `marker ${label}`)).body.message.message_id;
  await Promise.all(sockets.map((s) => s.waitFor("message:new", (m) => m.message_id === marker, 30_000)));
}

describe("membership, live", () => {
  test("a member removed while hundreds of her sockets connect keeps no room: none of them gets another message of those channels", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const admin = await Client.login(ctx.url, "admin");
    assert.equal((await admin.post("/api/admin/users", { uid: "racer", name: "Racer", password: "demo-password" })).status, 201);
    const racer = await Client.login(ctx.url, "racer");
    // In many groups, so listing her channels takes a while; a removal from each of G more, spread
    // over the connect storm: many chances for one to commit while a socket lists its channels.
    const fillers: string[] = [];
    for (let i = 0; i < 1500; i += 50) {
      const made = await Promise.all(
        Array.from({ length: 50 }, (_, j) => alice.post("/api/channels", { name: `Filler ${i + j}`, members: ["racer"] })),
      );
      fillers.push(...made.map((r) => r.body.channel_id));
    }
    const G = 30;
    const N = 300;
    const groups = await Promise.all(
      Array.from(
        { length: G },
        async (_, i) => (await alice.post("/api/channels", { name: `Race ${i}`, members: ["racer"] })).body.channel_id as string,
      ),
    );
    const attempts = Array.from({ length: N }, () => racer.connect());
    const removals = groups.map(async (id, i) => {
      await whenSettled(attempts, Math.round(((i + 1) * N) / (G + 2)));
      assert.equal((await alice.delete(`/api/channels/${id}/members/racer`)).status, 200);
    });
    const sockets = await Promise.all(attempts);
    try {
      await Promise.all(removals);
      const secrets = new Set<string>();
      for (const id of groups) secrets.add((await alice.send(id, "racer must not see this")).body.message.message_id);
      await drain(alice, sockets, "race", fillers[0]);
      const leaked = sockets.filter((s) => s.of("message:new").some((m) => secrets.has(m.message_id))).length;
      assert.equal(leaked, 0, `${leaked} of ${N} sockets of a removed member received a message of a channel she was removed from`);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  test("a member added while her sockets connect gets the channel's next message on every one of them", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const carol = await Client.login(ctx.url, "carol");
    const { body: ch } = await alice.post("/api/channels", { name: "Join race", members: [] });
    const N = 200;
    const attempts = Array.from({ length: N }, () => carol.connect());
    await whenSettled(attempts, N / 10);
    assert.equal((await alice.post(`/api/channels/${ch.channel_id}/members`, { uids: ["carol"] })).status, 200);
    const sockets = await Promise.all(attempts);
    try {
      const hello = (await alice.send(ch.channel_id, "welcome")).body.message.message_id;
      await Promise.all(sockets.map((s) => s.waitFor("message:new", (m) => m.message_id === hello, 30_000)));
    } finally {
      for (const s of sockets) s.close();
    }
  });

  test("every member's sockets hear of an add, a removal, a leave, a rename and a role change, once each; the removed learn by whom", async () => {
    const [alice, bob, carol, dave] = await Promise.all(["alice", "bob", "carol", "dave"].map((u) => Client.login(ctx.url, u)));
    const { body: ch } = await alice.post("/api/channels", { name: "Live members", members: ["bob", "carol"] });
    const id = ch.channel_id;
    const [a1, a2, b1, c1, d1] = await Promise.all([alice.connect(), alice.connect(), bob.connect(), carol.connect(), dave.connect()]);
    const all = [a1, a2, b1, c1, d1];
    const updates = (s: RecordingSocket) => s.of("channel:updated").filter((e) => e.channel_id === id);
    try {
      const step = async (label: string, act: () => Promise<{ status: number }>, hearers: RecordingSocket[], silent: RecordingSocket[]) => {
        const before = new Map(all.map((s) => [s, updates(s).length]));
        assert.equal((await act()).status, 200, label);
        await drain(alice, all, label);
        for (const s of hearers) assert.equal(updates(s).length - (before.get(s) ?? 0), 1, `${label}: one channel:updated per socket`);
        for (const s of silent) assert.equal(updates(s).length - (before.get(s) ?? 0), 0, `${label}: nothing to outsiders`);
      };
      await step("bob leaves", () => bob.delete(`/api/channels/${id}/members/bob`), [a1, a2, b1, c1], [d1]);
      assert.equal(updates(b1).at(-1).removed, undefined, "leaving is not being removed");
      await step("dave is added", () => alice.post(`/api/channels/${id}/members`, { uids: ["dave"] }), [a1, a2, c1, d1], [b1]);
      await step("carol is made admin", () => alice.patch(`/api/channels/${id}/members/carol`, { role: "admin" }), [a1, a2, c1, d1], [b1]);
      await step("renamed", () => carol.patch(`/api/channels/${id}`, { name: "Renamed live" }), [a1, a2, c1, d1], [b1]);
      await step("carol removes dave", () => carol.delete(`/api/channels/${id}/members/dave`), [a1, a2, c1, d1], [b1]);
      assert.deepEqual(updates(d1).at(-1).removed, { uids: ["dave"], by: { uid: "carol", name: "Carol" } });
      const members = (await alice.get(`/api/channels/${id}/members`)).body.members.map((m: { uid: string }) => m.uid).sort();
      assert.deepEqual(members, ["alice", "carol"]);
    } finally {
      for (const s of all) s.close();
    }
  });

  test("one cursor move is announced once, however many identical reads queued behind a write", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body: ch } = await alice.post("/api/channels", { name: "Once", members: ["bob"] });
    for (const t of ["1", "2", "3", "4"]) await alice.send(ch.channel_id, t);
    const [phone, laptop] = await Promise.all([bob.connect(), bob.connect()]);
    try {
      const read = (seq: number) => phone.socket.emitWithAck("read", { channel_id: ch.channel_id, message_seq: seq });
      // The first read is in flight while the twenty identical ones queue behind it: one move, 1 → 3.
      const acks = await Promise.all([read(1), ...Array.from({ length: 20 }, () => read(3))]);
      assert.ok(acks.every((a) => a.ok));
      await read(4);
      await laptop.waitFor("channel:read", (e) => e.channel_id === ch.channel_id && e.last_read_seq === 4);
      const seen = laptop
        .of("channel:read")
        .filter((e) => e.channel_id === ch.channel_id)
        .map((e) => e.last_read_seq);
      assert.deepEqual(seen, [1, 3, 4], "each move announced exactly once, in order");
    } finally {
      phone.close();
      laptop.close();
    }
  });
});

describe("sessions, live", () => {
  test("a disabled account's own session is refused as account_disabled (socket, bearer, sign-in with the right password); a wrong password or a bad token learns nothing", async () => {
    const admin = await Client.login(ctx.url, "admin");
    assert.equal((await admin.post("/api/admin/users", { uid: "gwen", name: "Gwen", password: "demo-password" })).status, 201);
    const gwen = await Client.login(ctx.url, "gwen");
    assert.equal((await admin.patch("/api/admin/users/gwen", { disabled: true })).status, 200);
    // A tab that missed session:ended and reconnects is told why, not just "unauthenticated".
    await assert.rejects(gwen.connect(), (err: Error) => err.message === "account_disabled");
    const me = await gwen.get("/api/channels");
    assert.equal(me.status, 401);
    assert.equal(me.body.error.code, "account_disabled");
    const signIn = (password: string) =>
      fetch(`${ctx.url}/api/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "gwen", password }),
      });
    const right = await signIn("demo-password");
    assert.equal(right.status, 401);
    assert.deepEqual((await right.json()).error, { code: "account_disabled", message: "This account was disabled by an administrator." });
    const wrong = await signIn("not-her-password");
    assert.equal(wrong.status, 401);
    assert.equal((await wrong.json()).error.code, "invalid_credentials");
    await assert.rejects(
      new Client(ctx.url, "gwen", `${gwen.token.slice(0, -4)}AAAA`).connect(),
      (err: Error) => err.message === "unauthenticated",
    );
  });

  test("a socket whose account row is gone is told so before the server disconnects it", async () => {
    const admin = await Client.login(ctx.url, "admin");
    const N = 40;
    let ended = 0;
    // The row goes while sockets connect: a socket that passed the sign-in check before it is checked
    // again once connected, and disconnected. Rounds go on until that has happened at least once.
    for (let round = 0; round < 10 && ended === 0; round++) {
      const uid = `ghost${round}`;
      assert.equal((await admin.post("/api/admin/users", { uid, name: "Ghost", password: "demo-password" })).status, 201);
      const ghost = await Client.login(ctx.url, uid);
      const attempts = Array.from({ length: N }, () => ghost.connect().catch(() => null));
      await whenSettled(attempts, N / 4);
      const sql = openSql(ctx.db.url);
      try {
        await sql`delete from users where uid = ${uid}`;
      } finally {
        await sql.end();
      }
      const sockets = (await Promise.all(attempts)).filter((s) => s !== null);
      try {
        // A read is answered only after the connected check: an answer means the socket was kept.
        const outcomes = await Promise.all(
          sockets.map(
            (s) =>
              new Promise<"kept" | "ended">((resolve) => {
                if (!s.socket.connected) return resolve("ended");
                s.socket.once("disconnect", () => resolve("ended"));
                s.socket.emit("read", {} as never, () => resolve("kept"));
              }),
          ),
        );
        sockets.forEach((s, i) => {
          if (outcomes[i] !== "ended") return;
          ended++;
          assert.deepEqual(s.of("session:ended"), [{ reason: "account_removed" }], "a socket disconnected for a gone account is told why");
        });
      } finally {
        for (const s of sockets) s.close();
      }
    }
    assert.ok(ended > 0, "no socket connected across the deletion in 10 rounds");
  });

  test("a disabled account's sockets are told why, then disconnected by the server, which they do not retry", async () => {
    const admin = await Client.login(ctx.url, "admin");
    assert.equal((await admin.post("/api/admin/users", { uid: "fern", name: "Fern", password: "demo-password" })).status, 201);
    const fern = await Client.login(ctx.url, "fern");
    const [f1, f2] = await Promise.all([fern.connect({ reconnection: true }), fern.connect({ reconnection: true })]);
    try {
      const reasons = [f1, f2].map((s) => new Promise<string>((resolve) => s.socket.once("disconnect", (reason) => resolve(reason))));
      assert.equal((await admin.patch("/api/admin/users/fern", { disabled: true })).status, 200);
      for (const s of [f1, f2]) assert.deepEqual(await s.waitFor("session:ended"), { reason: "account_disabled" });
      // A server-side disconnect is final for the Socket.IO client; a closed transport would be retried forever.
      assert.deepEqual(await Promise.all(reasons), ["io server disconnect", "io server disconnect"]);
    } finally {
      f1.close();
      f2.close();
    }
  });
});
