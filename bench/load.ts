import postgres from "postgres";
import { Client, type RecordingSocket } from "../tests/support/clients";
import { seedGroup, seedUsers, tokensFor } from "./seed";
import { pool } from "./stats";

export interface LoadOptions {
  url: string;
  databaseUrl: string;
  clients: number;
  groups: number;
  ops: number;
  prefix?: string;
}

export interface LoadReport {
  ops: number;
  sends: number;
  reads: number;
  revokes: number;
  ms: number;
  problems: string[];
  memory?: { before: unknown; after: unknown };
}

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];

/**
 * Sockets in groups doing sends, reads and revokes at once; afterwards every
 * count must be exact, every revoke recorded once and announced once per
 * device, and no message lost or duplicated on any socket.
 */
export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  const prefix = o.prefix ?? `ld${Date.now().toString(36)}`;
  const sql = postgres(o.databaseUrl, { max: 4, onnotice: () => {} });
  const problems: string[] = [];
  try {
    const uids = Array.from({ length: o.clients }, (_, i) => `${prefix}_${i}`);
    await seedUsers(sql, uids);
    const groupOf = (i: number) => `${prefix}_g${i % o.groups}`;
    for (let g = 0; g < o.groups; g++) {
      const members = uids.filter((_, i) => i % o.groups === g);
      await seedGroup(sql, `${prefix}_g${g}`, members[0], members.slice(1));
    }
    const tokens = await tokensFor(uids);
    const clients = uids.map((uid, i) => new Client(o.url, uid, tokens[i]));
    const sockets: RecordingSocket[] = await Promise.all(clients.map((c) => c.connect()));
    const admin = await Client.login(o.url, "admin");
    const memBefore = (await admin.get("/api/admin/health")).body.memory;

    const sent = new Map<string, { group: string; seq: number; from: number }>();
    const own = new Map<number, string[]>();
    const cursor = new Map<number, number>();
    const latest = new Map<string, number>();
    const revoked = new Set<string>();
    let sends = 0;
    let reads = 0;
    let revokes = 0;
    const started = Date.now();
    await pool(
      Array.from({ length: o.ops }, (_, i) => i),
      50,
      async () => {
        const i = Math.floor(Math.random() * o.clients);
        const group = groupOf(i);
        const r = Math.random();
        if (r < 0.5) {
          const res = await clients[i].send(group, `load ${sends}`);
          if (res.status !== 201) return void problems.push(`send → ${res.status}`);
          sends++;
          const m = res.body.message;
          sent.set(m.message_id, { group, seq: m.message_seq, from: i });
          own.set(i, [...(own.get(i) ?? []), m.message_id]);
          latest.set(group, Math.max(latest.get(group) ?? 0, m.message_seq));
          cursor.set(i, Math.max(cursor.get(i) ?? 0, m.message_seq));
        } else if (r < 0.85) {
          const seq = latest.get(group) ?? 0;
          if (!seq) return;
          const ack = await sockets[i].socket.emitWithAck("read", { channel_id: group, message_seq: seq });
          if (!ack.ok) return void problems.push(`read → ${ack.error.code}`);
          reads++;
          cursor.set(i, Math.max(cursor.get(i) ?? 0, ack.last_read_seq));
        } else {
          const candidates = (own.get(i) ?? []).filter((id) => !revoked.has(id));
          if (!candidates.length) return;
          const id = pick(candidates);
          revoked.add(id);
          const res = await clients[i].post(`/api/messages/${id}/revoke`);
          if (res.status !== 200) return void problems.push(`revoke → ${res.status}`);
          revokes++;
        }
      },
    );
    const ms = Date.now() - started;

    // Every member socket gets every message of its group once, and every revoke once.
    const deadline = Date.now() + 30_000;
    const expectNew = (i: number) => [...sent].filter(([, m]) => m.group === groupOf(i)).map(([id]) => id);
    const expectRevoked = (i: number) => [...revoked].filter((id) => sent.get(id)?.group === groupOf(i));
    const complete = () =>
      sockets.every((s, i) => {
        const got = new Set(s.of("message:new").map((m) => m.message_id));
        const gotRev = new Set(s.of("message:revoked").map((m) => m.message_id));
        return expectNew(i).every((id) => got.has(id)) && expectRevoked(i).every((id) => gotRev.has(id));
      });
    while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    sockets.forEach((s, i) => {
      const counts = new Map<string, number>();
      for (const m of s.of("message:new")) counts.set(m.message_id, (counts.get(m.message_id) ?? 0) + 1);
      for (const id of expectNew(i))
        if (counts.get(id) !== 1) problems.push(`socket ${i}: message ${id} arrived ${counts.get(id) ?? 0} times`);
      for (const m of s.of("message:new"))
        if (sent.get(m.message_id)?.group !== groupOf(i)) problems.push(`socket ${i}: event of another group`);
      const rev = new Map<string, number>();
      for (const e of s.of("message:revoked")) rev.set(e.message_id, (rev.get(e.message_id) ?? 0) + 1);
      for (const id of expectRevoked(i))
        if (rev.get(id) !== 1) problems.push(`socket ${i}: revoke ${id} announced ${rev.get(id) ?? 0} times`);
    });
    const recorded =
      await sql`select message_id, count(*)::int as n from revocations where channel_id like ${`${prefix}_%`} group by message_id`;
    if (recorded.length !== revoked.size || recorded.some((r) => r.n !== 1))
      problems.push(`revocations recorded ${recorded.length}, expected ${revoked.size} once each`);

    // Counts are exact: each member whose cursor reached the message, minus the sender.
    const sample = [...sent].slice(-40);
    for (const [id, m] of sample) {
      const res = await clients[m.from].get(`/api/messages/${id}/receipts`);
      const expected = uids.filter((_, j) => j !== m.from && groupOf(j) === m.group && (cursor.get(j) ?? 0) >= m.seq).length;
      if (res.body.read_count !== expected) problems.push(`message ${id}: read_count ${res.body.read_count}, expected ${expected}`);
    }
    for (const s of sockets) s.close();
    await new Promise((r) => setTimeout(r, 500));
    const memAfter = (await admin.get("/api/admin/health")).body.memory;
    return { ops: o.ops, sends, reads, revokes, ms, problems: problems.slice(0, 20), memory: { before: memBefore, after: memAfter } };
  } finally {
    await sql.end();
  }
}
