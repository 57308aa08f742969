import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import os from "node:os";
import { before, describe, test } from "node:test";
import { io } from "socket.io-client";
import { issueBearerToken } from "@/lib/auth/tokens";
import { loadConfig } from "@/lib/config";
import { Client, RecordingSocket, sleep, type TestSocket } from "./support/clients";
import type { TestDatabase } from "./support/database";
import { testStack } from "./support/harness";
import { startTestServer, type TestServer } from "./support/server";
import { openSql } from "./support/sql";

const AUTH_SECRET = "workers-test-secret-0123456789abcdef";
process.env.AUTH_SECRET = AUTH_SECRET;
const FLUSH_MS = 250;
const stack = testStack();
let db: TestDatabase;
let server: TestServer;

before(async () => {
  ({
    db,
    servers: [server],
  } = await stack.servers(1, { WORKERS: "2", AUTH_SECRET, RECEIPT_FLUSH_MS: String(FLUSH_MS) }));
});

/** Which worker answered an HTTP request (X-Imdesk-Worker), on a connection of its own (API connections are kept alive). */
async function workerOf(path = "/api/health"): Promise<string> {
  const res = await fetch(`${server.url}${path}`, { headers: { connection: "close" }, signal: AbortSignal.timeout(15_000) });
  await res.arrayBuffer();
  const id = res.headers.get("x-imdesk-worker");
  assert.ok(id, "every answer names its worker");
  return id;
}

/** Which worker holds a socket: its Engine.IO session id starts with `w<worker>_`. */
function workerOfSocket(s: RecordingSocket): string {
  const sid = s.socket.io.engine.id;
  const m = /^w([0-9a-z]+)_/.exec(sid ?? "");
  assert.ok(m, `session id ${sid} names its worker`);
  return String(Number.parseInt(m[1], 36));
}

/** A socket that never upgrades: every exchange is an HTTP long-polling request, each needing the session's worker. */
async function connectPolling(client: Client): Promise<RecordingSocket> {
  const socket: TestSocket = io(client.baseUrl, {
    auth: { token: client.token },
    transports: ["polling"],
    reconnection: false,
    forceNew: true,
  });
  const rec = new RecordingSocket(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (err) => reject(err));
  });
  return rec;
}

/** Sockets until both workers hold at least one (round-robin makes that the first two). */
async function socketsOnBothWorkers(connect: () => Promise<RecordingSocket>, count = 4) {
  const sockets: RecordingSocket[] = [];
  for (let i = 0; i < count; i++) sockets.push(await connect());
  return sockets;
}

describe("WORKERS=2: two server processes behind one port", () => {
  test("requests and sockets are spread over both workers", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) seen.add(await workerOf());
    assert.equal(seen.size, 2, `answers came from workers ${[...seen]}`);

    const alice = await Client.login(server.url, "alice");
    const sockets = await socketsOnBothWorkers(() => alice.connect());
    try {
      assert.equal(new Set(sockets.map(workerOfSocket)).size, 2);
    } finally {
      for (const s of sockets) s.close();
    }
    assert.match(server.output(), /ready on http:\/\/localhost:\d+ in [\d.]+s \(production, 2 workers\)/);
  });

  test("polling-only clients stay connected on their worker and receive events", async () => {
    const alice = await Client.login(server.url, "alice");
    const bob = await Client.login(server.url, "bob");
    const sockets = await socketsOnBothWorkers(() => connectPolling(bob));
    let drops = 0;
    for (const s of sockets) s.socket.on("disconnect", () => drops++);
    try {
      assert.equal(new Set(sockets.map(workerOfSocket)).size, 2, "polling sessions on both workers");
      // Several poll cycles (pingInterval 10 s is longer; each event ends a poll and starts the next).
      for (let i = 0; i < 5; i++) {
        const sent = (await alice.send("general", `polled ${i}`)).body.message;
        await Promise.all(sockets.map((s) => s.waitFor("message:new", (m) => m.message_id === sent.message_id, 20_000)));
        await sleep(300);
      }
      assert.equal(drops, 0, "no polling session was dropped");
      for (const s of sockets) assert.equal(s.socket.connected, true);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  test("API connections stay alive; a polling request sent on one to the other worker is sent back (307) and reaches its session", async () => {
    // Like a browser's one pool per origin: a single kept-alive connection carries an API call, then a poll.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, opts: { agent: Agent | false; body?: string }) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const req = request(`${server.url}${path}`, { agent: opts.agent, method: opts.body ? "POST" : "GET" }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c)).on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on("error", reject).end(opts.body);
      });
    const bob = await Client.login(server.url, "bob");
    const sockets = await socketsOnBothWorkers(() => connectPolling(bob), 2);
    try {
      const api = await send("/api/health", { agent });
      assert.equal(api.headers.connection, "keep-alive");
      const other = sockets.find((s) => workerOfSocket(s) !== api.headers["x-imdesk-worker"]);
      assert.ok(other, "a polling session on the other worker");
      const poll = `/socket.io/?EIO=4&transport=polling&sid=${other.socket.io.engine.id}`;
      const first = await send(poll, { agent, body: "3" }); // a pong: harmless to the session
      assert.equal(first.status, 307, `answered ${first.status} ${first.body}`);
      assert.equal(first.headers.location, poll);
      assert.equal(first.headers.connection, "close");
      const again = await send(poll, { agent: false, body: "3" });
      assert.deepEqual([again.status, again.body], [200, "ok"]);
      assert.equal(other.socket.connected, true);
    } finally {
      agent.destroy();
      for (const s of sockets) s.close();
    }
  });

  test("revoke exactly once across workers: concurrent recalls through different connections, one row, one notice per socket", async () => {
    const alice = await Client.login(server.url, "alice");
    const bob = await Client.login(server.url, "bob");
    const sockets = [...(await socketsOnBothWorkers(() => bob.connect())), ...(await socketsOnBothWorkers(() => alice.connect(), 2))];
    try {
      assert.equal(new Set(sockets.map(workerOfSocket)).size, 2);
      for (let round = 0; round < 3; round++) {
        const sent = (await alice.send("general", `recall me ${round}`)).body.message;
        await Promise.all(sockets.map((s) => s.waitFor("message:new", (m) => m.message_id === sent.message_id)));
        // Concurrent recalls need connections of their own, each dealt round-robin.
        const answers = await Promise.all(
          Array.from({ length: 8 }, async () => {
            const res = await fetch(`${server.url}/api/messages/${sent.message_id}/revoke`, {
              method: "POST",
              headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json" },
              body: "{}",
            });
            await res.arrayBuffer();
            return { status: res.status, worker: res.headers.get("x-imdesk-worker") };
          }),
        );
        assert.equal(new Set(answers.map((a) => a.worker)).size, 2, "the recalls reached both workers");
        for (const a of answers) assert.ok(a.status === 200 || a.status === 409, `recall answered ${a.status}`);
        await Promise.all(sockets.map((s) => s.waitFor("message:revoked", (e) => e.message_id === sent.message_id)));
        await sleep(1500);
        for (const s of sockets) {
          const notices = s.of("message:revoked").filter((e) => e.message_id === sent.message_id);
          assert.equal(notices.length, 1, `a socket on worker ${workerOfSocket(s)} got ${notices.length} notices`);
        }
        const sql = openSql(db.url);
        try {
          const [{ n }] = await sql`select count(*)::int as n from revocations where message_id = ${sent.message_id}`;
          assert.equal(n, 1);
        } finally {
          await sql.end();
        }
      }
    } finally {
      for (const s of sockets) s.close();
    }
  });

  test("the receipts coalescing bound holds with reads taken by both workers", async () => {
    const N = 100;
    const uids = Array.from({ length: N }, (_, i) => `wsplit${i}`);
    const s = openSql(db.url);
    try {
      const [{ password_hash }] = await s`select password_hash from users where uid = 'bob'`;
      await s`insert into users ${s(uids.map((uid) => ({ uid, name: uid, password_hash, role: "user" })))}`;
    } finally {
      await s.end();
    }
    const alice = await Client.login(server.url, "alice");
    const { body: ch } = await alice.post("/api/channels", { name: "Split workers", members: uids });
    const sent = (await alice.send(ch.channel_id, "read me on both workers")).body.message;
    const sockets = await socketsOnBothWorkers(() => alice.connect(), 2);
    const workers = new Set<string>();
    try {
      const started = Date.now();
      await Promise.all(
        uids.map(async (uid, i) => {
          const token = await issueBearerToken({ uid, role: "user" });
          await sleep(Math.floor((i / N) * 1000));
          const res = await fetch(`${server.url}/api/channels/${ch.channel_id}/read`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({ message_seq: sent.message_seq }),
          });
          await res.arrayBuffer();
          assert.equal(res.status, 200);
          workers.add(res.headers.get("x-imdesk-worker") ?? "");
        }),
      );
      const span = Date.now() - started;
      assert.equal(workers.size, 2, "reads were taken by both workers");
      const bound = Math.ceil(Math.max(span, 1000) / FLUSH_MS) + 2;
      for (const socket of sockets) {
        await socket.waitFor("receipts:update", (e) => e.channel_id === ch.channel_id && e.items[0]?.read_count === N);
      }
      await sleep(FLUSH_MS * 2);
      for (const socket of sockets) {
        const updates = socket.of("receipts:update").filter((e) => e.channel_id === ch.channel_id);
        assert.ok(updates.length <= bound, `${updates.length} updates on worker ${workerOfSocket(socket)} in ${span} ms, bound ${bound}`);
        assert.equal(updates.at(-1).items[0].read_count, N);
      }
    } finally {
      for (const socket of sockets) socket.close();
    }
  });

  test("a killed worker is replaced, and the server keeps answering meanwhile", { timeout: 180_000 }, async () => {
    const pids = [...server.output().matchAll(/worker (\d+) \(pid (\d+)\) ready/g)].map((m) => ({ id: m[1], pid: Number(m[2]) }));
    const victim = pids.find((p) => p.id === "2");
    assert.ok(victim, "worker 2's pid is logged");
    process.kill(victim.pid, "SIGKILL");
    await waitForOutput(/worker 2 \(pid \d+\) was killed by SIGKILL; starting a replacement/);
    // While the replacement starts, the other worker answers everything (none waits for the newcomer).
    const answered: string[] = [];
    while (!/replaced the one in slot 2/.test(server.output())) {
      const res = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      assert.equal(res.status, 200);
      answered.push(res.headers.get("x-imdesk-worker") ?? "");
      await sleep(200);
    }
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) seen.add(await workerOf());
    assert.deepEqual([...seen].sort(), ["1", "3"], `after the replacement, answers came from ${[...seen]}`);
    assert.ok(answered.length > 0);
    // The new worker serves sockets and events too.
    const alice = await Client.login(server.url, "alice");
    const sockets = await socketsOnBothWorkers(() => alice.connect(), 2);
    try {
      assert.deepEqual(sockets.map(workerOfSocket).sort(), ["1", "3"]);
      const sent = (await alice.send("general", "after the replacement")).body.message;
      await Promise.all(sockets.map((s) => s.waitFor("message:new", (m) => m.message_id === sent.message_id)));
    } finally {
      for (const s of sockets) s.close();
    }
  });

  test("bad WORKERS values are refused at start with a clear message; auto is one per core", async () => {
    assert.equal(loadConfig({ NODE_ENV: "production", WORKERS: "auto" }).WORKERS, os.availableParallelism());
    assert.equal(loadConfig({ NODE_ENV: "production" }).WORKERS, 1);
    for (const bad of ["0", "-1", "1.5", "two", "auto2", "1000"]) {
      await assert.rejects(startTestServer({ DATABASE_URL: db.url, WORKERS: bad }), (err: Error) => {
        assert.match(err.message, /failed to start: Invalid configuration: WORKERS: a whole number from 1 to 999, or "auto"/);
        return true;
      });
    }
  });
});

async function waitForOutput(pattern: RegExp, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (!pattern.test(server.output())) {
    if (Date.now() > until) throw new Error(`no ${pattern} in the server's output:\n${server.output().slice(-2000)}`);
    await sleep(100);
  }
}
