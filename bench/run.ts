import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { closeDb, db } from "@/lib/db/client";
import { listHistoryPage } from "@/lib/db/queries/messages";
import { countReceipts } from "@/lib/db/queries/receipts";
import { buildIfNeeded } from "../scripts/build-if-needed";
import { Client } from "../tests/support/clients";
import { startThrowawayPostgres } from "../tests/support/database";
import { startTestServer, type TestServer } from "../tests/support/server";
import { runHttpLoad, runSocketLoad, startFloorServer } from "./children";
import type { HttpJob } from "./http-load";
import { writeReadmeRows, writeReadmeTable } from "./readme";
import { seedGroup, seedMessages, seedUsers, tokensFor } from "./seed";
import { fmt, pool, summarize, timed } from "./stats";
import { benchWorkers } from "./workers";

// `npm run bench [-- --quick | --soak]`: the hot paths measured through the
// real server process, each next to its reference measured in the same run.
// For profiling and before/after runs (never written to the README):
//   --only=P1,P4            run only these measures
//   --p4-messages=100000    P4's history lengths
//   --server-dir=DIR        run the server of another checkout (same bench, same load)
//   --cpu-prof=DIR          the server runs under `node --cpu-prof` (profiles written at its exit)
//   --members=10000,100000  also P2 and P4 at these group sizes, with the curve against the default size
//   --workers=1,2           only P1 and P4 (16 clients), against servers of that many workers (bench/workers.ts)
const argv = process.argv.slice(2);
const args = new Set(argv);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.has("--quick");
const soak = args.has("--soak");
const only = option("only")?.split(",");
const runs = (id: string) => !only || only.includes(id);
const partial = only !== undefined || argv.some((a) => a.includes("="));
const serverDir = option("server-dir");
const cpuProf = option("cpu-prof");
const curveMembers = option("members")?.split(",").map(Number) ?? [];
const workerCounts = option("workers")?.split(",").map(Number) ?? [];
const FLUSH_MS = 250;
const AUTH_SECRET = randomBytes(32).toString("hex");
const WEBHOOK_SECRET = randomBytes(16).toString("hex");
process.env.AUTH_SECRET = AUTH_SECRET;

const size = quick
  ? {
      p5Batches: 20,
      p1Clients: 16,
      p1Reads: 40,
      p2Members: 200,
      p2Burst: 10,
      p3Readers: 20,
      p3Rate: 400,
      p3Reads: 400,
      p4Members: 200,
      p4Messages: [2_000, 10_000],
      p4Pages: 40,
      p6Members: 10,
      p6Revokes: 20,
    }
  : {
      p5Batches: 300,
      p1Clients: 64,
      p1Reads: 150,
      p2Members: 1000,
      p2Burst: 50,
      p3Readers: 100,
      p3Rate: 5000,
      p3Reads: 10_000,
      p4Members: 1000,
      p4Messages: option("p4-messages")?.split(",").map(Number) ?? [100_000, 1_000_000],
      p4Pages: 300,
      p6Members: 50,
      p6Revokes: 300,
    };

interface Row {
  id: string;
  measure: string;
  result: string;
  reference: string;
  target: string;
  verdict: string;
}
const rows: Row[] = [];
const results: Record<string, unknown> = {};
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

async function main() {
  // A partial run (profiling, before/after) measures the API: a stale production build serves it the same.
  if (serverDir) {
    if (!existsSync(path.join(serverDir, ".next", "BUILD_ID"))) throw new Error(`${serverDir}: no production build (npx next build there)`);
  } else if (!partial || !existsSync(".next/BUILD_ID")) buildIfNeeded();
  if (workerCounts.length > 0) {
    results.machine = {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memory_gb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    };
    await benchWorkers({
      counts: workerCounts,
      env: { AUTH_SECRET, RECEIPT_FLUSH_MS: String(FLUSH_MS), WEBHOOK_SECRET },
      rows,
      measure: async (server, sql) => {
        await p1(server, sql);
        await p4(server, sql, size.p4Members, size.p4Messages);
      },
    });
    return print();
  }
  const pg = await startThrowawayPostgres();
  let server: TestServer | undefined;
  const sql = postgres(pg.url, { max: 40, onnotice: () => {} });
  try {
    server = await startTestServer(
      { DATABASE_URL: pg.url, AUTH_SECRET, RECEIPT_FLUSH_MS: String(FLUSH_MS), WEBHOOK_SECRET },
      { cwd: serverDir, nodeArgs: cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(cpuProf)}`] : [] },
    );
    // The floors run imdesk's own query functions on imdesk's own pool settings (lib/db/client).
    process.env.DATABASE_URL = pg.url;
    const [{ server_version }] = await sql`show server_version`;
    results.machine = {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memory_gb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      postgres: server_version,
    };
    if (runs("P1")) await p1(server, sql);
    if (runs("P2")) await p2(server, sql, size.p2Members);
    if (runs("P3")) await p3(server, sql);
    if (runs("P4")) await p4(server, sql, size.p4Members, size.p4Messages);
    if (curveMembers.length > 0) await curve(server, sql);
    if (runs("P5")) await p5(server, sql);
    if (runs("P6")) await p6(server, sql);
    if (runs("P7")) await p7();
    if (soak) await p8(server, sql);
  } finally {
    await closeDb();
    await sql.end();
    await server?.stop();
    await pg.stop();
  }
  await print();
}

/**
 * P1: read events absorbed through the app, against three references from the
 * same run: one UPDATE per read straight into PostgreSQL (the raw loop), a bare
 * node:http + postgres.js server doing that UPDATE per HTTP read (the floor an
 * HTTP framework must pay for), and the load generator against a server that
 * does nothing (its ceiling: a result near it measures the client).
 */
async function p1(server: TestServer, sql: postgres.Sql) {
  log("P1 read absorption");
  const { p1Clients: clients, p1Reads: reads } = size;
  const total = clients * reads;
  const members = Array.from({ length: clients }, (_, i) => `p1_${i}`);
  await seedUsers(sql, members);
  const tokens = await tokensFor(members);
  const seeded = async (channelId: string) => {
    await seedGroup(sql, channelId, "alice", members);
    await seedMessages(sql, channelId, "alice", reads * 2);
    return channelId;
  };
  const assertExact = async (channelId: string) => {
    const [{ exact }] =
      await sql`select count(*)::int as exact from channel_members where channel_id = ${channelId} and uid like 'p1_%' and last_read_seq = ${reads}`;
    if (exact !== clients) throw new Error(`P1 ${channelId}: ${exact}/${clients} cursors exact`);
  };
  // Each connection is one member moving its own cursor 1, 2, … reads.
  const readJob = (url: string, channelId: string): HttpJob => ({
    url,
    method: "POST",
    expectStatus: 200,
    connections: tokens.map((token) => ({
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      requests: Array.from({ length: reads }, (_, j) => ({ path: `/api/channels/${channelId}/read`, body: `{"message_seq":${j + 1}}` })),
    })),
  });
  const throughFloor = async (job: Parameters<typeof startFloorServer>[0], channelId: string) => {
    const floor = await startFloorServer(job);
    try {
      return (await runHttpLoad(`P1 ${job.mode} server`, readJob(floor.url, channelId))).perSecond;
    } finally {
      await floor.stop();
    }
  };

  const ceiling = await throughFloor({ mode: "noop" }, "p1_noop");
  const floorChannel = await seeded("p1_floor");
  const byToken = Object.fromEntries(tokens.map((t, i) => [t, members[i]]));
  const floor = await throughFloor(
    { mode: "read", databaseUrl: process.env.DATABASE_URL, tokens: byToken, poolMax: Math.min(clients, 32) },
    floorChannel,
  );
  await assertExact(floorChannel);
  const out: Record<string, number> = {};
  const httpChannel = await seeded("p1_http");
  out.http = (await runHttpLoad("P1 HTTP", readJob(server.url, httpChannel))).perSecond;
  await assertExact(httpChannel);
  const socketChannel = await seeded("p1_socket");
  const r = await runSocketLoad({ url: server.url, channelId: socketChannel, tokens, reads, startSeq: 0 });
  await assertExact(socketChannel);
  out.socket = (r.reads / r.ms) * 1000;

  // The raw loop: the same number of cursor writes, one autocommitted UPDATE each, as many connections as clients (≤ 32).
  const ref = "p1_raw";
  await seedGroup(sql, ref, "alice", members);
  const raw = await timed(() =>
    pool(
      Array.from({ length: total }, (_, i) => i),
      Math.min(clients, 32),
      async (i) => {
        await sql`update channel_members set last_read_seq = ${Math.floor(i / clients) + 1}, last_read_at = now() where channel_id = ${ref} and uid = ${members[i % clients]}`;
      },
    ),
  );
  const rawRate = (total / raw.ms) * 1000;
  results.P1 = {
    http_reads_per_s: out.http,
    socket_reads_per_s: out.socket,
    raw_update_per_s: rawRate,
    http_floor_per_s: floor,
    load_generator_ceiling_per_s: ceiling,
    reads: total,
    clients,
  };
  for (const mode of ["socket", "http"] as const) {
    const ratio = out[mode] / rawRate;
    rows.push({
      id: "P1",
      measure: `read events/s via ${mode === "http" ? "HTTP" : "Socket.IO"} (${clients} clients, ${total.toLocaleString()} reads, counts exact)`,
      result: `${fmt(out[mode])}/s`,
      reference: `raw UPDATE loop ${fmt(rawRate)}/s`,
      target: "≥ 1× raw (stretch 2×)",
      verdict: `${ratio.toFixed(2)}× ${ratio >= 1 ? "✓" : "✗"}`,
    });
  }
  const ofFloor = out.http / floor;
  const ofRaw = out.http / rawRate;
  rows.push({
    id: "P1",
    measure:
      "  HTTP vs a bare node:http + postgres.js server: pre-verified token, one membership-checked UPDATE … GREATEST per read, same load and database",
    result: `${fmt(out.http)}/s`,
    reference: `floor ${fmt(floor)}/s (counts exact)`,
    target: "≥ 1.0× floor (stretch ≥ 0.5× raw)",
    verdict: `${ofFloor.toFixed(2)}× ${ofFloor >= 1 ? "✓" : "✗"}; ${ofRaw.toFixed(2)}× raw ${ofRaw >= 0.5 ? "✓" : "✗"}`,
  });
  rows.push({
    id: "P1",
    measure: "  the load generator's ceiling: autocannon, the same requests, against a no-op HTTP server",
    result: `${fmt(ceiling)}/s`,
    reference: `imdesk HTTP ${(out.http / ceiling).toFixed(2)}×, floor ${(floor / ceiling).toFixed(2)}× of it`,
    target: "(a measure near it is the client's limit)",
    verdict: "",
  });
}

/** P2: a burst of messages read by the whole group within a second: pushes to the sender and rows written. */
async function p2(server: TestServer, sql: postgres.Sql, n: number) {
  log(`P2 receipt storm, ${n.toLocaleString()} members`);
  const { p2Burst: burst } = size;
  const uids = Array.from({ length: n }, (_, i) => `p2_${i}`);
  await seedUsers(sql, uids);
  const channelId = `p2_storm_${n}`;
  await seedGroup(sql, channelId, "alice", uids);
  const alice = await Client.login(server.url, "alice");
  const socket = await alice.connect();
  let last: { message_id: string; message_seq: number; read_count: number } | undefined;
  for (let i = 0; i < burst; i++) last = (await alice.send(channelId, `storm ${i}`)).body.message;
  const tokens = await tokensFor(uids);
  const walBefore = await walBytes(sql);
  const [{ before }] =
    await sql`select coalesce(sum(n_tup_ins + n_tup_upd), 0)::int8 as before from pg_stat_user_tables where relname in ('channel_members', 'read_events')`;
  stormRetries = 0;
  const started = performance.now();
  const readers = tokens.map((t, i) => new Client(server.url, uids[i], t));
  // Within a second; a bigger group at 1,000 reads/s (the bench's HTTP client is one process). At most
  // 256 reads in flight: a slower server than the schedule otherwise piles up thousands of connections
  // past the listen backlog, and the run dies on ECONNRESET instead of measuring.
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(256, n) }, async () => {
      while (next < n) {
        const i = next++;
        const wait = started + (i / n) * Math.max(1000, n) - performance.now();
        if (wait > 0) await new Promise((res) => setTimeout(res, wait));
        const { status } = await readOnce(readers[i], channelId, last!.message_seq);
        if (status !== 200) throw new Error(`P2: ${uids[i]}'s read answered ${status}`);
      }
    }),
  );
  const span = performance.now() - started;
  type Item = { message_seq: number; read_count: number };
  try {
    await socket.waitFor(
      "receipts:update",
      (e) => e.items.some((x: Item) => x.message_seq === last!.message_seq && x.read_count === n),
      15_000,
    );
  } catch (e) {
    // Which of the two it was: a wrong count, or a push the sender's socket never got.
    const pushed = socket
      .of("receipts:update")
      .flatMap((u) => u.items as Item[])
      .filter((x) => x.message_seq === last!.message_seq);
    const asked = await alice.get(`/api/messages/${last!.message_id}/receipts`);
    throw new Error(
      `P2 ${n}: ${(e as Error).message}; the sender's socket ${socket.socket.connected ? "is connected" : "was disconnected"}, its last push said ${pushed.at(-1)?.read_count ?? "nothing"}, the receipts API says ${asked.body.read_count} of ${n}`,
    );
  }
  await new Promise((r) => setTimeout(r, FLUSH_MS * 2));
  const updates = socket.of("receipts:update").filter((e) => e.channel_id === channelId).length;
  socket.close();
  await new Promise((r) => setTimeout(r, 700)); // pg_stat counters are flushed lazily
  const [{ after }] =
    await sql`select coalesce(sum(n_tup_ins + n_tup_upd), 0)::int8 as after from pg_stat_user_tables where relname in ('channel_members', 'read_events')`;
  const oursRows = Number(after) - Number(before);
  const oursWal = (await walBytes(sql)) - walBefore;

  // The article's design on the same database: a msg_acks row per message per reader, inserted at send, flipped at read.
  // Written for real up to 10,000 members; past that (5 million rows at 100,000) its rows are counted, not written:
  // the setup would dominate the run, and its WAL grows with its rows (measured at the smaller sizes).
  let articleWal = Number.NaN;
  let articleMs = Number.NaN;
  if (n <= 10_000) {
    await sql`create table if not exists msg_acks (sender_uid text, msgid bigint, recv_uid text, gid text, if_ack smallint default 0, primary key (gid, msgid, recv_uid))`;
    const art0 = await walBytes(sql);
    articleMs = (
      await timed(async () => {
        await sql`insert into msg_acks (sender_uid, msgid, recv_uid, gid) select 'alice', m, u, ${channelId} from generate_series(1, ${burst}::int) m, unnest(${uids}::text[]) u`;
        await pool(uids, 32, async (u) => {
          await sql`update msg_acks set if_ack = 1 where gid = ${channelId} and recv_uid = ${u} and msgid <= ${burst} and if_ack = 0`;
        });
      })
    ).ms;
    articleWal = (await walBytes(sql)) - art0;
  }
  const articleRows = burst * n * 2;
  const bound = Math.ceil(Math.max(1000, span) / FLUSH_MS) + 2;
  const key = n === size.p2Members ? "P2" : `P2_${n}_members`;
  results[key] = {
    members: n,
    burst,
    span_ms: span,
    updates_to_sender: updates,
    reads_resent_after_a_closed_connection: stormRetries,
    bound,
    rows_written: oursRows,
    article_rows: articleRows,
    wal_bytes: oursWal,
    article_wal_bytes: articleWal,
    article_ms: articleMs,
  };
  // Each point as it is measured: a longer curve that fails at its largest size keeps the smaller ones.
  log(`${key}: ${JSON.stringify(results[key])}`);
  rows.push({
    id: "P2",
    measure: `storm: ${n} members read a burst of ${burst} messages in ${fmt(span / 1000, 2)} s — updates to the sender`,
    result: `${updates} updates, final count exact${stormRetries ? ` (${stormRetries} reads re-sent after a closed keep-alive connection)` : ""}`,
    reference: `bound ⌈span/${FLUSH_MS}⌉+2 = ${bound}`,
    target: `≤ ${bound}`,
    verdict: updates <= bound ? "✓" : "✗",
  });
  rows.push({
    id: "P2",
    measure: "  rows written (cursor + read event per reader) / WAL",
    result: `${oursRows.toLocaleString()} rows, ${fmt(oursWal / 1024)} KiB`,
    reference: `article: ${articleRows.toLocaleString()} rows, ${Number.isNaN(articleWal) ? "WAL not run at this size" : `${fmt(articleWal / 1024)} KiB`}`,
    target: "≥ 50× fewer rows",
    verdict: `${fmt(articleRows / Math.max(1, oursRows))}× ${articleRows / Math.max(1, oursRows) >= 50 ? "✓" : "✗"}`,
  });
}

/**
 * One storm read. A keep-alive connection the server closed as idle just as the
 * client reused it fails with no answer (undici retries only idempotent
 * methods); on a loaded host that happens in a 10,000-reader storm. A read only
 * moves the reader's cursor forward (sending it twice changes no count), so it
 * is sent again, as a client would; the final count is still checked exact.
 */
async function readOnce(reader: Client, channelId: string, seq: number) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await reader.post(`/api/channels/${channelId}/read`, { message_seq: seq });
    } catch (e) {
      const code = (e as { cause?: { code?: string } }).cause?.code;
      if (attempt >= 3 || (code !== "UND_ERR_SOCKET" && code !== "ECONNRESET")) throw e;
      stormRetries++;
    }
  }
}
let stormRetries = 0;

async function walBytes(sql: postgres.Sql) {
  const [{ lsn }] = await sql`select pg_current_wal_lsn()::text as lsn`;
  const [hi, lo] = String(lsn)
    .split("/")
    .map((x) => Number.parseInt(x, 16));
  return hi * 2 ** 32 + lo;
}

/**
 * P3: a read → the sender's updated count, at a steady read rate. Readers are
 * sockets; the j-th read moves a reader to seq j, so message j's count goes
 * 0 → 1 with that read, and the latency is until the sender sees it.
 */
async function p3(server: TestServer, sql: postgres.Sql) {
  log("P3 read → count latency");
  const { p3Readers: r, p3Rate: rate, p3Reads: n } = size;
  const uids = Array.from({ length: r }, (_, i) => `p3_${i}`);
  await seedUsers(sql, uids);
  const channelId = "p3_latency";
  await seedGroup(sql, channelId, "alice", uids);
  await seedMessages(sql, channelId, "alice", n);
  const alice = await Client.login(server.url, "alice");
  const socket = await alice.connect();
  const seen = new Map<number, number>();
  socket.socket.on("receipts:update", (e) => {
    const now = performance.now();
    for (const item of e.items) if (item.read_count >= 1 && !seen.has(item.message_seq)) seen.set(item.message_seq, now);
  });
  const tokens = await tokensFor(uids);
  const readers = await Promise.all(tokens.map((t, i) => new Client(server.url, uids[i], t).connect()));
  const sentAt = new Map<number, number>();
  const started = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let j = 1; j <= n; j++) {
    const due = started + ((j - 1) / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((res) => setTimeout(res, wait));
    sentAt.set(j, performance.now());
    pending.push(readers[j % r].socket.emitWithAck("read", { channel_id: channelId, message_seq: j }));
  }
  await Promise.all(pending);
  const achieved = (n / (performance.now() - started)) * 1000;
  const deadline = performance.now() + 10_000;
  while (seen.size < n && performance.now() < deadline) await new Promise((res) => setTimeout(res, 50));
  socket.close();
  for (const s of readers) s.close();
  const lat = summarize([...sentAt].filter(([seq]) => seen.has(seq)).map(([seq, t]) => seen.get(seq)! - t));
  results.P3 = { readers: r, reads: n, target_rate: rate, achieved_rate: achieved, delivered: seen.size, ...lat };
  rows.push({
    id: "P3",
    measure: `read → sender's updated count at ${fmt(achieved)} reads/s (${r} reader sockets, ${n.toLocaleString()} reads)`,
    result: `p50 ${fmt(lat.p50)} ms, p99 ${fmt(lat.p99)} ms`,
    reference: `${seen.size}/${n} counts seen`,
    target: `p99 ≤ ${FLUSH_MS + 100} ms`,
    verdict: lat.p99 <= FLUSH_MS + 100 && seen.size === n ? "✓" : "✗",
  });
}

/**
 * P4: a history page of 100 with revoke merge and counts, in a big group with
 * a long history; beside it the same page's SQL (imdesk's own query functions:
 * the page, then its counts) driven straight from 1 and 16 connections.
 */
async function p4(server: TestServer, sql: postgres.Sql, m: number, counts: number[]) {
  log(`P4 history pages, ${m.toLocaleString()} members`);
  const { p4Pages: pages } = size;
  const uids = Array.from({ length: m }, (_, i) => `p4_${i}`);
  await seedUsers(sql, uids);
  const [aliceToken] = await tokensFor(["alice"]);
  const headers = { authorization: `Bearer ${aliceToken}` };
  const p50s: number[] = [];
  for (const count of counts) {
    const channelId = `p4_${m}_${count}`;
    log(`P4 seeding ${count.toLocaleString()} messages`);
    await seedGroup(sql, channelId, "alice", uids);
    await seedMessages(sql, channelId, "alice", count);
    // Cursors spread over the history; some revokes.
    await sql`update channel_members set last_read_seq = floor(random() * ${count})::int8 where channel_id = ${channelId}`;
    await sql`insert into revocations (channel_id, message_seq, message_id, sender_uid, revoked_by, rule, sent_at, version)
              select channel_id, message_seq, message_id, from_uid, 'alice', 'sender', sent_at, row_number() over (order by message_seq)
                from messages where channel_id = ${channelId} and message_seq % 97 = 0`;
    await sql`vacuum analyze channel_members`;
    const beforeSeq = (i: number) => 101 + Math.floor((((i * 7919) % 1000) / 1000) * (count - 100));
    const path = (i: number) => `/api/channels/${channelId}/messages?limit=100&before_seq=${beforeSeq(i)}`;
    // One client: 10 warm-up pages, then `pages` timed one after another, each checked.
    const single = await runHttpLoad("P4 1 client", {
      url: server.url,
      method: "GET",
      expectStatus: 200,
      expectMessages: 100,
      warmup: 10,
      connections: [{ headers, requests: Array.from({ length: pages + 10 }, (_, i) => ({ path: path(i < 10 ? i : i - 10) })) }],
    });
    const s = summarize(single.latencies);
    p50s.push(s.p50);
    // 16 clients: pages × 4 pages dealt round-robin.
    const conc = await runHttpLoad("P4 16 clients", {
      url: server.url,
      method: "GET",
      expectStatus: 200,
      connections: Array.from({ length: 16 }, (_, c) => ({
        headers,
        requests: Array.from({ length: pages * 4 }, (_, i) => i)
          .filter((i) => i % 16 === c)
          .map((i) => ({ path: path(i) })),
      })),
    });
    const pps = conc.perSecond;

    // Floors on the same database: the page's SQL as imdesk runs it (the page, then counts of the viewer's unrevoked messages).
    const pageSql = async (i: number) => {
      const { rows: page } = await listHistoryPage({ db: db(), channelId, beforeSeq: beforeSeq(i), limit: 100 });
      const items = page
        .filter((r) => r.revokedBy === null && r.fromUid === "alice")
        .map((r) => ({ seq: r.messageSeq, fromUid: r.fromUid }));
      await countReceipts({ db: db(), channelId, items });
      if (page.length !== 100) throw new Error(`P4 floor: page of ${page.length}`);
    };
    for (let i = 0; i < 10; i++) await pageSql(i); // warm up
    const floorSingle: number[] = [];
    for (let i = 0; i < pages; i++) {
      const t = performance.now();
      await pageSql(i);
      floorSingle.push(performance.now() - t);
    }
    const floorConc = await timed(() =>
      pool(
        Array.from({ length: pages * 4 }, (_, i) => i),
        16,
        pageSql,
      ),
    );
    const floorPps = ((pages * 4) / floorConc.ms) * 1000;
    // And the page alone, and counts from the article's per-message rows.
    const plain: number[] = [];
    for (let i = 0; i < pages; i++) {
      const t = performance.now();
      await sql`select * from messages where channel_id = ${channelId} and message_seq < ${beforeSeq(i)} order by message_seq desc limit 101`;
      plain.push(performance.now() - t);
    }
    // The article's per-reader rows: 101 × members rows, left out past 10,000 members (10 million rows at 100,000: the setup would dominate the run).
    const art: number[] = [];
    if (m <= 10_000) {
      await sql`create table if not exists msg_acks (sender_uid text, msgid bigint, recv_uid text, gid text, if_ack smallint default 0, primary key (gid, msgid, recv_uid))`;
      await sql`insert into msg_acks (sender_uid, msgid, recv_uid, gid, if_ack)
                select 'alice', g, u, ${channelId}, (random() < 0.5)::int from generate_series(${count - 100}::int, ${count}::int) g, unnest(${uids}::text[]) u
                on conflict do nothing`;
      await sql`analyze msg_acks`;
      for (let i = 0; i < Math.min(pages, 100); i++) {
        const t = performance.now();
        await sql`select msgid, count(*) filter (where if_ack = 1)::int as r, count(*) filter (where if_ack = 0)::int as u
                    from msg_acks where gid = ${channelId} and msgid between ${count - 100} and ${count} group by msgid`;
        art.push(performance.now() - t);
      }
    }
    const ps = summarize(plain);
    const fs = summarize(floorSingle);
    const as = summarize(art);
    const ofPlain = s.p50 / ps.p50;
    const ofFloor = pps / floorPps;
    const key = m === size.p4Members ? `P4_${count}` : `P4_${count}_${m}_members`;
    results[key] = {
      members: m,
      messages: count,
      single_client: s,
      pages_per_s_16_clients: pps,
      plain_page_sql: ps,
      page_and_counts_sql: fs,
      page_and_counts_sql_pages_per_s_16_connections: floorPps,
      article_counts_sql: as,
    };
    log(`${key}: ${JSON.stringify(results[key])}`);
    rows.push({
      id: "P4",
      measure: `history page of 100 (merge + counts), ${m.toLocaleString()} members, ${count.toLocaleString()} messages — 1 client`,
      result: `p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms`,
      reference: `page SQL alone p50 ${fmt(ps.p50, 2)} ms; page + counts SQL p50 ${fmt(fs.p50, 2)} ms; article counts SQL p50 ${fmt(as.p50, 2)} ms`,
      target: "p50 ≤ 5 ms, p99 ≤ 20 ms, p50 ≤ 3× page SQL alone",
      verdict: `${ofPlain.toFixed(1)}× ${s.p50 <= 5 && s.p99 <= 20 && ofPlain <= 3 ? "✓" : "✗"}`,
    });
    rows.push({
      id: "P4",
      measure: "  16 clients",
      result: `${fmt(pps)} pages/s`,
      reference: `page + counts SQL from 16 connections ${fmt(floorPps)} pages/s`,
      target: "≥ 1,000 pages/s and ≥ 0.5× floor",
      verdict: `${ofFloor.toFixed(2)}× ${pps >= 1000 && ofFloor >= 0.5 ? "✓" : "✗"}`,
    });
  }
  if (p50s.length < 2) return p50s;
  const ratio = p50s[1] / p50s[0];
  rows.push({
    id: "P4",
    measure: `  p50 ratio ${size.p4Messages[1].toLocaleString()} / ${size.p4Messages[0].toLocaleString()} messages`,
    result: `${ratio.toFixed(2)}×`,
    reference: "",
    target: "≤ 1.5×",
    verdict: ratio <= 1.5 ? "✓" : "✗",
  });
  return p50s;
}

/**
 * --members: how cost grows with the group (#22). P2's storm and P4's page
 * (at the first history length) at each size, and the page's p50 against the
 * default group's, measured in this run. Goal: ≤ 3× at 100,000 members.
 */
async function curve(server: TestServer, sql: postgres.Sql) {
  if (!runs("P4")) return;
  const count = size.p4Messages[0];
  const base = (results[`P4_${count}`] as { single_client: { p50: number } } | undefined)?.single_client.p50;
  const points: string[] = [];
  for (const m of curveMembers) {
    if (runs("P2")) await p2(server, sql, m);
    const [p50] = await p4(server, sql, m, [count]);
    points.push(`${m.toLocaleString()}: ${fmt(p50, 2)} ms${base ? ` (${(p50 / base).toFixed(2)}×)` : ""}`);
    if (base && m === curveMembers.at(-1)) {
      rows.push({
        id: "P4",
        measure: `  the curve: page p50 by group size (${count.toLocaleString()} messages), against ${size.p4Members.toLocaleString()} members`,
        result: points.join("; "),
        reference: `${size.p4Members.toLocaleString()}: ${fmt(base, 2)} ms`,
        target: `≤ 3× at ${m.toLocaleString()}`,
        verdict: `${(p50 / base).toFixed(2)}× ${p50 / base <= 3 ? "✓" : "✗"}`,
      });
    }
  }
  results.curve = points;
  printCurve(count);
}

/** The curve as one table (stderr, beside the run's table): each size's storm and page, and its ratio to the default size. */
function printCurve(count: number) {
  type Storm = { span_ms: number; updates_to_sender: number; bound: number; rows_written: number; article_rows: number; wal_bytes: number };
  type Page = {
    single_client: { p50: number; p99: number };
    pages_per_s_16_clients: number;
    plain_page_sql: { p50: number };
    page_and_counts_sql: { p50: number };
  };
  const storm = (m: number) => results[m === size.p2Members ? "P2" : `P2_${m}_members`] as Storm | undefined;
  const page = (m: number) => results[m === size.p4Members ? `P4_${count}` : `P4_${count}_${m}_members`] as Page | undefined;
  const sizes = [size.p4Members, ...curveMembers];
  const ratio = (x: number | undefined, b: number | undefined) => (x !== undefined && b ? ` (${(x / b).toFixed(2)}×)` : "");
  const b = { storm: storm(sizes[0]), page: page(sizes[0]) };
  const lines = [
    "| members | storm span | updates (bound) | rows written (article) | WAL | page p50 | page p99 | page + counts SQL p50 | 16 clients pages/s |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const m of sizes) {
    const s = storm(m);
    const p = page(m);
    lines.push(
      `| ${m.toLocaleString()} | ${s ? `${fmt(s.span_ms / 1000, 2)} s` : "–"} | ${s ? `${s.updates_to_sender} (≤ ${s.bound})` : "–"} | ${s ? `${s.rows_written.toLocaleString()}${ratio(s.rows_written, b.storm?.rows_written)} (${s.article_rows.toLocaleString()})` : "–"} | ${s ? `${fmt(s.wal_bytes / 1024)} KiB${ratio(s.wal_bytes, b.storm?.wal_bytes)}` : "–"} | ${p ? `${fmt(p.single_client.p50, 2)} ms${ratio(p.single_client.p50, b.page?.single_client.p50)}` : "–"} | ${p ? `${fmt(p.single_client.p99, 2)} ms` : "–"} | ${p ? `${fmt(p.page_and_counts_sql.p50, 2)} ms${ratio(p.page_and_counts_sql.p50, b.page?.page_and_counts_sql.p50)}` : "–"} | ${p ? `${fmt(p.pages_per_s_16_clients)}${ratio(p.pages_per_s_16_clients, b.page?.pages_per_s_16_clients)}` : "–"} |`,
    );
  }
  process.stderr.write(
    `\n[bench] the curve (${count.toLocaleString()} messages; ratios to ${sizes[0].toLocaleString()} members, same run):\n${lines.join("\n")}\n\n`,
  );
  results.curve_table = lines.join("\n");
}

/** P5: msg.notify ingest in batches of 100 as WuKongIM posts them, first delivery and re-delivery. */
async function p5(server: TestServer, sql: postgres.Sql) {
  log("P5 webhook ingest");
  const batches = size.p5Batches;
  const channels = 10;
  for (let c = 0; c < channels; c++) await seedGroup(sql, `p5_${c}`, "alice", ["bob"]);
  const payload = Buffer.from(JSON.stringify({ type: 1, content: "ingested from WuKongIM" })).toString("base64");
  const seqs = new Array(channels).fill(0);
  let id = 3_000_000_000_000_000_000n;
  const bodies: string[] = [];
  for (let b = 0; b < batches; b++) {
    const items: string[] = [];
    for (let i = 0; i < 100; i++) {
      const c = (b * 100 + i) % channels;
      seqs[c]++;
      id++;
      items.push(
        `{"header":{"no_persist":0,"red_dot":1,"sync_once":0},"setting":0,"message_id":${id},"message_idstr":"${id}","client_msg_no":"p5-${id}","message_seq":${seqs[c]},"from_uid":"alice","channel_id":"p5_${c}","channel_type":2,"expire":0,"timestamp":${Math.floor(Date.now() / 1000)},"payload":"${payload}"}`,
      );
    }
    bodies.push(`[${items.join(",")}]`);
  }
  // Four connections, the batches dealt round-robin, as WuKongIM's webhook workers post them.
  const deliver = async () => {
    const r = await runHttpLoad("P5", {
      url: server.url,
      method: "POST",
      expectStatus: 200,
      connections: Array.from({ length: 4 }, (_, c) => ({
        headers: { "content-type": "application/json" },
        requests: bodies
          .filter((_, i) => i % 4 === c)
          .map((body) => ({ path: `/api/webhooks/wukongim/${WEBHOOK_SECRET}?event=msg.notify`, body })),
      })),
    });
    return { ms: r.ms };
  };
  const first = await deliver();
  const again = await deliver();
  const [{ n }] = await sql`select count(*)::int as n from messages where channel_id like 'p5_%'`;
  if (n !== batches * 100) throw new Error(`P5: ${n} messages stored, expected ${batches * 100}`);
  // Reference: the same rows, batched INSERTs of 100 straight into a copy of the messages table.
  await sql`create table p5_ref (like messages including all)`;
  const ref = await timed(() =>
    pool(bodies, 4, async (body) => {
      const items = (JSON.parse(body.replace(/"message_id":(\d+),/g, '"message_id":"$1",')) as any[]).map((m) => m);
      await sql`insert into p5_ref (channel_id, message_seq, message_id, client_msg_no, from_uid, channel_type, sent_at, payload)
                select * from unnest(${items.map((m) => m.channel_id)}::text[], ${items.map((m) => m.message_seq)}::int8[], ${items.map((m) => m.message_idstr)}::text[],
                                     ${items.map((m) => m.client_msg_no)}::text[], ${items.map((m) => m.from_uid)}::text[], ${items.map(() => 2)}::int2[],
                                     ${items.map(() => new Date().toISOString())}::timestamptz[], ${items.map(() => '{"type":1}')}::jsonb[])`;
    }),
  );
  const total = batches * 100;
  const rate = (ms: number) => (total / ms) * 1000;
  results.P5 = { messages: total, first_per_s: rate(first.ms), redelivery_per_s: rate(again.ms), raw_insert_per_s: rate(ref.ms) };
  rows.push({
    id: "P5",
    measure: `msg.notify ingest, ${batches} batches of 100 (4 concurrent) — first delivery`,
    result: `${fmt(rate(first.ms))} msg/s`,
    reference: `raw batched INSERT ${fmt(rate(ref.ms))} msg/s`,
    target: "≥ 20,000 msg/s and ≥ 0.4× raw",
    verdict: `${(ref.ms / first.ms).toFixed(2)}× ${rate(first.ms) >= 20_000 && ref.ms / first.ms >= 0.4 ? "✓" : "✗"}`,
  });
  rows.push({
    id: "P5",
    measure: "  re-delivery of the same batches (all duplicates)",
    result: `${fmt(rate(again.ms))} msg/s`,
    reference: `cost ${(again.ms / first.ms).toFixed(2)}× the first`,
    target: "≤ ½ the cost",
    verdict: again.ms <= first.ms / 2 ? "✓" : "✗",
  });
}

/** P6: revoke → notice on every member socket at a steady revoke rate. */
async function p6(server: TestServer, sql: postgres.Sql) {
  log("P6 revoke → notice");
  const { p6Members: m, p6Revokes: n } = size;
  const uids = Array.from({ length: m }, (_, i) => `p6_${i}`);
  await seedUsers(sql, uids);
  const channelId = "p6_revoke";
  await seedGroup(sql, channelId, "alice", uids);
  const alice = await Client.login(server.url, "alice");
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await alice.send(channelId, `revoke me ${i}`)).body.message.message_id);
  const tokens = await tokensFor(uids);
  const sockets = await Promise.all(tokens.map((t, i) => new Client(server.url, uids[i], t).connect()));
  const arrivals = new Map<string, number[]>();
  for (const s of sockets)
    s.socket.on("message:revoked", (e) => {
      const list = arrivals.get(e.message_id) ?? [];
      list.push(performance.now());
      arrivals.set(e.message_id, list);
    });
  const sentAt = new Map<string, number>();
  const started = performance.now();
  await Promise.all(
    ids.map(async (id, i) => {
      await new Promise((r) => setTimeout(r, Math.max(0, started + i * 10 - performance.now())));
      sentAt.set(id, performance.now());
      await alice.post(`/api/messages/${id}/revoke`);
    }),
  );
  const deadline = performance.now() + 10_000;
  while ([...arrivals.values()].reduce((a, l) => a + l.length, 0) < n * m && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  for (const s of sockets) s.close();
  const lat: number[] = [];
  for (const [id, list] of arrivals) for (const t of list) lat.push(t - sentAt.get(id)!);
  const s = summarize(lat);
  const complete = lat.length === n * m;
  results.P6 = { members: m, revokes: n, notices: lat.length, expected: n * m, ...s };
  rows.push({
    id: "P6",
    measure: `revoke → notice on every member socket (${m} sockets, ${n} revokes at 100/s)`,
    result: `p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms`,
    reference: `${lat.length}/${n * m} notices`,
    target: "p99 ≤ 50 ms",
    verdict: s.p99 <= 50 && complete ? "✓" : "✗",
  });
}

/** P7: `npm start`-style start to healthy on the embedded database, first (initdb) and second start. */
async function p7() {
  log("P7 start-up");
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "imdesk-bench-start-"));
  try {
    const times: number[] = [];
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      const s = await startTestServer({ DATA_DIR: dataDir, DATABASE_URL: undefined });
      const res = await fetch(`${s.url}/api/health`);
      if (res.status !== 200) throw new Error("P7: not healthy");
      times.push(performance.now() - t);
      await s.stop();
    }
    results.P7 = { first_ms: times[0], second_ms: times[1] };
    rows.push({
      id: "P7",
      measure: "start to healthy, embedded PostgreSQL: first start (initdb) / second start",
      result: `${fmt(times[0] / 1000, 2)} s / ${fmt(times[1] / 1000, 2)} s`,
      reference: "",
      target: "≤ 10 s / ≤ 3 s",
      verdict: times[0] <= 10_000 && times[1] <= 3_000 ? "✓" : "✗",
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * P8 (--soak): P1's socket load on one hot group for 10 minutes; the last minute
 * against the first, and the server's memory (its own /api/admin/health) every
 * 10 seconds, to show a leak or a slowdown that a short run cannot.
 */
async function p8(server: TestServer, sql: postgres.Sql) {
  log("P8 soak (10 minutes)");
  const clients = size.p1Clients;
  const members = Array.from({ length: clients }, (_, i) => `p8_${i}`);
  await seedUsers(sql, members);
  const channelId = "p8_soak";
  await seedGroup(sql, channelId, "alice", members);
  // Room for 500,000 reads per client: 53,000 reads/s for 10 minutes, 5× the fastest P1 socket rate measured.
  await seedMessages(sql, channelId, "alice", 500_000);
  const admin = await Client.login(server.url, "admin");
  const memory: { at_s: number; rss_mb: number; heap_used_mb: number }[] = [];
  const started = performance.now();
  const sample = async () => {
    const { status, body } = await admin.get("/api/admin/health");
    if (status !== 200) throw new Error(`P8: admin health ${status}`);
    memory.push({ at_s: Math.round((performance.now() - started) / 1000), ...body.memory });
  };
  await sample();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await new Promise((r) => setTimeout(r, 10_000));
      if (sampling) await sample();
    }
  })();
  const r = await runSocketLoad({
    url: server.url,
    channelId,
    tokens: await tokensFor(members),
    reads: 0,
    startSeq: 0,
    durationMs: 600_000,
  }).finally(() => {
    sampling = false;
  });
  await sampler;
  await sample();
  // Every read acknowledged ok was applied: each member's cursor is its last acknowledged read.
  const cursors = await sql`select uid, last_read_seq::int as seq from channel_members where channel_id = ${channelId} and uid like 'p8_%'`;
  const bySeq = new Map(cursors.map((c) => [c.uid as string, c.seq as number]));
  const wrong = members.filter((uid, i) => bySeq.get(uid) !== r.finals[i]);
  if (wrong.length > 0) throw new Error(`P8: ${wrong.length}/${clients} cursors not at their last acknowledged read`);
  const perSecond = Array.from(r.perSecond, (x) => x ?? 0);
  const first = perSecond.slice(0, 60).reduce((a, b) => a + b, 0) / 60;
  const last = perSecond.slice(-61, -1).reduce((a, b) => a + b, 0) / 60;
  const inMinute = (from: number, to: number) => memory.filter((x) => x.at_s >= from && x.at_s <= to);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const rssFirst = avg(inMinute(1, 60).map((x) => x.rss_mb));
  const rssLast = avg(inMinute(541, 600).map((x) => x.rss_mb));
  const rssMax = Math.max(...memory.map((x) => x.rss_mb));
  results.P8 = {
    clients,
    reads: r.reads,
    ms: r.ms,
    first_minute_per_s: first,
    last_minute_per_s: last,
    rss_mb_first_minute: rssFirst,
    rss_mb_last_minute: rssLast,
    rss_mb_max: rssMax,
    memory,
    per_second: perSecond,
  };
  rows.push({
    id: "P8",
    measure: `soak (${new Date().toISOString().slice(0, 10)}): socket reads/s on one hot group, ${clients} clients, 10 min (${r.reads.toLocaleString()} reads, cursors exact), last minute vs first; server RSS`,
    result: `${fmt(last)}/s; RSS ${fmt(rssLast)} MiB`,
    reference: `first minute ${fmt(first)}/s; RSS ${fmt(rssFirst)} MiB (max ${fmt(rssMax)})`,
    target: "≥ 0.8×",
    verdict: `${(last / first).toFixed(2)}× ${last / first >= 0.8 ? "✓" : "✗"}`,
  });
}

// The soak's result, kept between runs: a full run without --soak still shows the last soak's (dated) row.
const SOAK_FILE = "bench/soak.json";
const line = (r: Row) => `| ${[r.id, r.measure, r.result, r.reference, r.target, r.verdict].join(" | ")} |`;

async function keptSoakRows(): Promise<Row[]> {
  if (!existsSync(SOAK_FILE)) return [];
  return (JSON.parse(await readFile(SOAK_FILE, "utf8")) as { rows: Row[] }).rows;
}

async function print() {
  const at = new Date().toISOString();
  const m = results.machine as Record<string, unknown>;
  const soakRows = rows.filter((r) => r.id === "P8");
  // Only this checkout's own server, unprofiled, makes the soak of record.
  const ofRecord = soak && !quick && !serverDir && !cpuProf;
  if (!soak && !partial && !quick) rows.push(...(await keptSoakRows()));
  const header = ["id", "measure", "result", "reference (same run)", "target", "verdict"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const r of rows) lines.push(line(r));
  const table = lines.join("\n");
  console.log(`\n${quick ? "Quick smoke run (small sizes; numbers are not the performance claim)\n\n" : ""}${table}\n`);
  console.log(
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memory_gb} GiB, Node ${m.node}, PostgreSQL ${m.postgres}; RECEIPT_FLUSH_MS=${FLUSH_MS}`,
  );
  if (ofRecord && soakRows.length > 0) {
    // The summary only: the per-second and memory series are in the run's printed results (and biome keeps this file flat).
    const { memory, per_second, ...summary } = results.P8 as Record<string, unknown>;
    await writeFile(SOAK_FILE, `${JSON.stringify({ at, machine: m, rows: soakRows, result: summary }, null, 2)}\n`);
    log(`${SOAK_FILE}: the soak's result kept for later full runs`);
  }
  if (partial) {
    if (ofRecord && soakRows.length > 0) {
      await writeReadmeRows("P8", soakRows.map(line));
      log("README.md: the P8 row replaced in the table");
    }
    return console.log(JSON.stringify(results));
  }
  await writeFile("bench/results.json", `${JSON.stringify({ at, quick, soak, results, table }, null, 2)}\n`);
  if (quick) return;
  const heading = `Latest full run (${at.slice(0, 10)}; ${m.cores} cores ${m.cpu}, ${m.memory_gb} GiB, Node ${m.node}, embedded PostgreSQL ${m.postgres}, \`RECEIPT_FLUSH_MS=${FLUSH_MS}\`)${soak ? "" : "; P8 from the latest soak run, dated in its row"}:`;
  await writeReadmeTable({ heading, table });
  log("README.md: bench table replaced (the notes under it are a person's to revise)");
}

await main();
