import assert from "node:assert/strict";
import { connect } from "node:net";
import { describe, test } from "node:test";
import { Client, type RecordingSocket } from "./support/clients";
import { withServer } from "./support/harness";
import { openSql } from "./support/sql";

// Defects found by trying the server as an attacker would, one regression test each.
const ctx = withServer({ SIGNIN_PER_ACCOUNT_PER_MINUTE: "600", SIGNIN_PER_ADDRESS_PER_MINUTE: "6000" });

const sql = () => openSql(ctx.db.url);

/** A raw HTTP exchange, for requests fetch() refuses to send (bad Host headers). */
function rawRequest(text: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(ctx.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.write(text));
    let data = "";
    socket.on("data", (d) => (data += d));
    // The body may be chunked: take the JSON object out of it.
    socket.on("end", () => resolve({ status: Number(data.split(" ")[1]), body: data.match(/\{.*\}/s)?.[0] ?? "" }));
    socket.on("error", reject);
  });
}

/**
 * Streams a chunked body (no Content-Length) over a raw socket until the
 * server answers or `maxBytes` have been sent; reports the status and how much
 * was sent. A raw socket, because the server closes the connection right after
 * refusing, and an HTTP client writing at that moment loses the answer.
 */
function streamChunked(
  path: string,
  maxBytes: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; sent: number; body: string }> {
  const { port, host } = new URL(ctx.url);
  return new Promise((resolve) => {
    const chunk = Buffer.concat([Buffer.from(`40000\r\n`), Buffer.alloc(0x40000, 32), Buffer.from("\r\n")]);
    let sent = 0;
    let data = "";
    const finish = () => resolve({ status: Number(data.split(" ")[1]), sent, body: data.match(/\{.*\}/s)?.[0] ?? "" });
    const socket = connect(Number(port), "127.0.0.1", () => {
      const head = Object.entries({ host, "content-type": "application/json", "transfer-encoding": "chunked", ...headers })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("");
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n1\r\n[\r\n`);
      const pump = () => {
        while (!data && sent < maxBytes && !socket.destroyed) {
          sent += 0x40000;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
        if (!data && !socket.destroyed) socket.write("0\r\n\r\n");
      };
      pump();
    });
    socket.on("data", (d) => (data += d));
    socket.on("error", () => {}); // EPIPE/ECONNRESET once the server has answered and closed
    socket.on("close", finish);
  });
}

describe("reliability", () => {
  test("a chunked body without Content-Length is cut off at the cap with 413, not buffered", async () => {
    const alice = await Client.login(ctx.url, "alice");
    for (const [path, headers] of [
      ["/api/auth/token", {}],
      ["/api/channels/general/messages", { authorization: `Bearer ${alice.token}` }],
    ] as const) {
      const res = await streamChunked(path, 400 * 1024 * 1024, headers);
      assert.equal(res.status, 413, `${path}: ${res.body}`);
      assert.equal(JSON.parse(res.body).error.code, "payload_too_large");
      assert.ok(res.sent < 64 * 1024 * 1024, `${path}: the server answered after ${res.sent} bytes, long before 400 MB`);
    }
    assert.equal((await fetch(`${ctx.url}/api/health`)).status, 200, "still healthy");
  });

  test("pages served by Next refuse chunked bodies (411) and bodies over 1 MB (413)", async () => {
    const chunked = await streamChunked("/api/auth/callback/credentials", 8 * 1024 * 1024);
    assert.equal(chunked.status, 411);
    const big = await fetch(`${ctx.url}/login`, { method: "POST", body: "x".repeat(2 * 1024 * 1024) });
    assert.equal(big.status, 413);
  });

  test("a malformed Host header is a 400 in the error shape", async () => {
    for (const host of ["[bad", "a b", "x/y"]) {
      const res = await rawRequest(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      assert.equal(res.status, 400, host);
      assert.equal(JSON.parse(res.body).error.code, "invalid_request");
    }
  });

  test("with a channel locked and the pool full of waiting sends, health answers at once and the sends get 503, not a hang", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const s = sql();
    try {
      const lockHeld = s.begin(async (tx) => {
        await tx`select 1 from channels where channel_id = 'general' for update`;
        const sends = Array.from({ length: 40 }, (_, i) => alice.send("general", `queued ${i}`));
        // While the lock is still held: health, and an unrelated read, answer.
        const health = await fetch(`${ctx.url}/api/health`);
        assert.ok([200, 503].includes(health.status), `health answered ${health.status}`);
        const unrelated = await bob.get("/api/channels");
        assert.ok([200, 503].includes(unrelated.status));
        const answers = await Promise.all(sends);
        return answers.map((a) => a.status);
      });
      const statuses = await lockHeld;
      assert.ok(
        statuses.every((st) => st === 503),
        `sends waiting on the lock fail cleanly: ${[...new Set(statuses)].join(",")}`,
      );
      const after = await alice.send("general", "after the lock");
      assert.equal(after.status, 201, "and work again once it is released");
    } finally {
      await s.end();
    }
  });

  test("a channel admin cannot remove the owner or another admin; only the owner removes admins; the owner cannot leave", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const { body: g } = await alice.post("/api/channels", { name: "Roles", members: ["bob", "carol", "dave"] });
    for (const uid of ["bob", "carol"])
      assert.equal((await alice.patch(`/api/channels/${g.channel_id}/members/${uid}`, { role: "admin" })).status, 200);
    const bob = await Client.login(ctx.url, "bob");
    const owner = await bob.delete(`/api/channels/${g.channel_id}/members/alice`);
    assert.deepEqual([owner.status, owner.body.error.code], [403, "not_allowed"]);
    assert.equal((await bob.delete(`/api/channels/${g.channel_id}/members/carol`)).status, 403);
    assert.equal(
      (await bob.patch(`/api/channels/${g.channel_id}/members/carol`, { role: "member" })).status,
      403,
      "admins do not demote admins",
    );
    assert.equal((await bob.delete(`/api/channels/${g.channel_id}/members/dave`)).status, 200, "admins remove ordinary members");
    assert.equal((await alice.delete(`/api/channels/${g.channel_id}/members/carol`)).status, 200, "the owner removes an admin");
    assert.equal((await alice.delete(`/api/channels/${g.channel_id}/members/alice`)).status, 409, "the owner cannot leave");
    const members = await alice.get(`/api/channels/${g.channel_id}/members`);
    assert.deepEqual(members.body.members.map((m: any) => [m.uid, m.role]).sort(), [
      ["alice", "owner"],
      ["bob", "admin"],
    ]);
  });

  test("sockets of a user disabled while they connect do not survive, get no events and move no cursor", async () => {
    const s = sql();
    const admin = await Client.login(ctx.url, "admin");
    const alice = await Client.login(ctx.url, "alice");
    try {
      const [{ password_hash }] = await s`select password_hash from users where uid = 'bob'`;
      await s`insert into users (uid, name, password_hash, role) values ('gina', 'Gina', ${password_hash}, 'user')`;
      assert.equal((await admin.post("/api/channels/general/members", { uids: ["gina"] })).status, 200);
      const gina = await Client.login(ctx.url, "gina");
      const [{ seq: before }] =
        await s`select last_read_seq::int as seq from channel_members where channel_id = 'general' and uid = 'gina'`;
      const attempts = Array.from({ length: 40 }, () => gina.connect().catch(() => null));
      await new Promise((r) => setTimeout(r, 5));
      assert.equal((await admin.patch("/api/admin/users/gina", { disabled: true })).status, 200);
      const sockets = (await Promise.all(attempts)).filter((x): x is RecordingSocket => x !== null);
      try {
        // Every socket that connected is closed by the server, or refuses to read.
        for (const sock of sockets) {
          if (sock.socket.connected) {
            const ack = await sock.socket
              .timeout(5000)
              .emitWithAck("read", { channel_id: "general", message_seq: 1_000_000 })
              .catch(() => ({ ok: false }));
            assert.equal(ack.ok, false);
          }
        }
        const sent = await alice.send("general", "gina must not see this");
        const id = sent.body.message.message_id;
        await alice.send("general", "nor this");
        for (const sock of sockets)
          assert.ok(!sock.of("message:new").some((m) => m.message_id === id), "no event reaches a disabled user's socket");
        const [{ seq: afterSeq }] =
          await s`select last_read_seq::int as seq from channel_members where channel_id = 'general' and uid = 'gina'`;
        assert.equal(afterSeq, before, "the cursor did not move");
      } finally {
        for (const sock of sockets) sock.close();
      }
    } finally {
      await s.end();
    }
  });

  test("sign-in takes as long for an unknown username as for a wrong password", async () => {
    const attempt = async (username: string) => {
      const started = performance.now();
      const res = await fetch(`${ctx.url}/api/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password: "wrong-password" }),
      });
      assert.equal(res.status, 401);
      return performance.now() - started;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await attempt("carol"));
      unknown.push(await attempt(`nobody_${i}`));
    }
    // Before the fix an unknown user answered ~35× faster (no scrypt); now both pay one.
    assert.ok(median(unknown) > median(known) / 3, `unknown ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`);
  });
});
