import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { buildIfNeeded } from "../scripts/build-if-needed";
import { Client, type RecordingSocket, sleep } from "./support/clients";
import { startControllablePostgres } from "./support/database";
import { testStack } from "./support/harness";
import { withSql } from "./support/sql";

// PostgreSQL going away under load: restarted, then stopped for 10 s, while
// 50 sockets read and send. Requests meanwhile answer 503 `unavailable` with
// Retry-After (never a 500, never a hang), sockets stay or come back by
// themselves, the app serves again once the database is back without being
// restarted, and every write that was answered 2xx is in the database. The
// figures are printed (diagnostics), never asserted against a clock.
const stack = testStack();
const USERS = ["alice", "bob", "carol", "dave", "admin"];
const SOCKETS = 50;
// Generous: a request still unanswered after this is a hang.
const HANG_MS = 40_000;

type Sample = { started: number; ended: number; status: number; code?: string; retryAfter: string | null; messageId?: string };

async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : Number.NaN);

describe("database outage under load", () => {
  test("restart and a 10 s stop: 503 unavailable meanwhile, recovery without a restart, no 2xx write lost", async (t) => {
    buildIfNeeded();
    const pg = stack.track(await startControllablePostgres());
    const server = await stack.server({ DATABASE_URL: pg.url });
    const clients = await Promise.all(USERS.map((u) => Client.login(server.url, u)));
    let stop = false;
    const sockets: RecordingSocket[] = [];
    // Reconnecting sockets keep the test process alive: they are closed however the test ends.
    t.after(() => {
      stop = true;
      for (const s of sockets) s.close();
    });
    for (let i = 0; i < SOCKETS; i++) sockets.push(await clients[i % clients.length].connect({ reconnection: true, device: `d${i}` }));

    const samples: Sample[] = [];
    const acks: { ok: boolean; code?: string }[] = [];
    let sent = 0;
    const worker = async (i: number) => {
      const client = clients[i % clients.length];
      while (!stop) {
        const started = Date.now();
        const clientMsgNo = `w${i}-${sent++}`;
        try {
          const res = await fetch(`${server.url}/api/channels/general/messages`, {
            method: "POST",
            headers: { authorization: `Bearer ${client.token}`, "content-type": "application/json" },
            body: JSON.stringify({ client_msg_no: clientMsgNo, payload: { type: 1, content: clientMsgNo } }),
            signal: AbortSignal.timeout(HANG_MS),
          });
          const body = (await res.json()) as { message?: { message_id: string; message_seq: number }; error?: { code: string } };
          samples.push({
            started,
            ended: Date.now(),
            status: res.status,
            code: body.error?.code,
            retryAfter: res.headers.get("retry-after"),
            messageId: body.message?.message_id,
          });
          if (body.message) {
            const ack = await sockets[i].socket
              .timeout(HANG_MS)
              .emitWithAck("read", { channel_id: "general", message_seq: body.message.message_seq })
              .catch(() => null);
            if (ack) acks.push({ ok: ack.ok, code: ack.ok ? undefined : ack.error.code });
          }
        } catch (err) {
          samples.push({ started, ended: Date.now(), status: 0, code: (err as Error).name, retryAfter: null });
        }
        await sleep(700);
      }
    };
    const load = Promise.all(Array.from({ length: SOCKETS }, (_, i) => worker(i)));
    const firstOkAfter = (at: number) => samples.find((s) => s.started >= at && s.status >= 200 && s.status < 300);

    await sleep(3000);
    const restartAt = Date.now();
    await pg.down();
    await pg.up();
    const restartUpAt = Date.now();
    await eventually("a write succeeds after the restart", () => Boolean(firstOkAfter(restartUpAt)));
    await sleep(3000);

    const downAt = Date.now();
    await pg.down();
    await sleep(10_000);
    await pg.up();
    const upAt = Date.now();
    await eventually("a write succeeds after the outage", () => Boolean(firstOkAfter(upAt)));
    await sleep(3000);
    stop = true;
    await load;

    const statuses = new Map<number, number>();
    for (const s of samples) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
    const unavailable = samples.filter((s) => s.status === 503);
    const inOutage = samples.filter((s) => s.started >= downAt && s.started < upAt);
    const written = samples.filter((s) => s.status === 201).map((s) => s.messageId as string);
    t.diagnostic(
      `requests ${samples.length}: ${[...statuses].map(([k, v]) => `${k}×${v}`).join(", ")}; socket reads ${acks.length} (${acks.filter((a) => !a.ok).length} refused)`,
    );
    t.diagnostic(
      `outage: ${inOutage.length} requests, 503 answered in median ${median(inOutage.map((s) => s.ended - s.started))} ms, max ${Math.max(...inOutage.map((s) => s.ended - s.started))} ms`,
    );
    t.diagnostic(
      `recovery: ${(firstOkAfter(restartUpAt)?.ended ?? 0) - restartUpAt} ms after the restart (down+up took ${restartUpAt - restartAt} ms), ${(firstOkAfter(upAt)?.ended ?? 0) - upAt} ms after the 10 s stop`,
    );

    // Only successes and 503s; each 503 says why and when to retry; nothing hung.
    assert.deepEqual(
      [...statuses.keys()].filter((s) => ![200, 201, 503].includes(s)),
      [],
      JSON.stringify(samples.filter((s) => ![200, 201, 503].includes(s.status)).slice(0, 5)),
    );
    assert.ok(
      inOutage.some((s) => s.status === 503),
      "the outage was seen by requests",
    );
    for (const s of unavailable) {
      assert.equal(s.code, "unavailable");
      assert.equal(s.retryAfter, "1");
    }
    assert.deepEqual(
      acks.filter((a) => !a.ok && a.code !== "unavailable"),
      [],
    );
    // Sockets stayed or came back by themselves.
    await eventually("all sockets connected", () => sockets.every((s) => s.socket.connected));
    // Every write answered 2xx is in the database.
    const stored = await withSql(
      pg.url,
      (s) => s<{ n: number }[]>`select count(*)::int as n from messages where message_id = any(${written})`,
    );
    assert.equal(stored[0].n, written.length);
    assert.ok(written.length > 0);
    assert.doesNotMatch(server.output(), /unhandled|internal_error/i);
  });

  test("the embedded database killed: the app starts it again and serves, data intact", async (t) => {
    buildIfNeeded();
    const dataDir = await mkdtemp(path.join(tmpdir(), "imdesk-data-"));
    stack.track({ stop: () => rm(dataDir, { recursive: true, force: true }) });
    const server = await stack.server({ DATA_DIR: dataDir, DATABASE_URL: "" });
    const alice = await Client.login(server.url, "alice");
    const before = await alice.send("general", "written before the crash");
    assert.equal(before.status, 201);

    const pid = Number.parseInt(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0], 10);
    const killedAt = Date.now();
    process.kill(pid, "SIGKILL");
    await eventually("the app serves again", async () => (await alice.get("/api/channels/general/messages")).status === 200);
    t.diagnostic(`served again ${Date.now() - killedAt} ms after PostgreSQL was killed`);
    assert.match(server.output(), /embedded PostgreSQL killed by SIGKILL; starting it again/);
    const history = await alice.get("/api/channels/general/messages");
    assert.ok(history.body.messages.some((m: { message_id: string }) => m.message_id === before.body.message.message_id));
    assert.equal((await alice.send("general", "written after")).status, 201);
  });
});
