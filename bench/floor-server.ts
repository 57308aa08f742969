import http from "node:http";
import postgres from "postgres";

/**
 * P1's floors (#22), a process of its own like the server under test:
 * - "read": what an HTTP read costs with no framework and no batching —
 *   node:http, a token verified before the run (a map lookup), JSON body, one
 *   membership-checked cursor UPDATE per request on the same database;
 * - "noop": answers every request at once, so the load generator's own
 *   ceiling is measured with the same requests.
 * The job comes on stdin; the port goes to stdout; SIGTERM stops it.
 */
export interface FloorJob {
  mode: "read" | "noop";
  databaseUrl?: string;
  /** bearer token → uid, verified by the bench before the run. */
  tokens?: Record<string, string>;
  poolMax?: number;
}

const job = JSON.parse(await readStdin()) as FloorJob;
const sql = job.mode === "read" ? postgres(job.databaseUrl!, { max: job.poolMax ?? 32, onnotice: () => {} }) : undefined;
const uids = new Map(Object.entries(job.tokens ?? {}));
const READ = /^\/api\/channels\/([^/?]+)\/read$/;

function reply(res: http.ServerResponse, status: number, body: object) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

async function handle(req: http.IncomingMessage, body: string, res: http.ServerResponse) {
  if (!sql) return reply(res, 200, { ok: true });
  const route = READ.exec(req.url ?? "");
  if (!route || req.method !== "POST") return reply(res, 404, { error: "not_found" });
  const uid = uids.get(req.headers.authorization?.replace(/^Bearer /, "") ?? "");
  if (!uid) return reply(res, 401, { error: "unauthorized" });
  const seq = (JSON.parse(body) as { message_seq?: unknown }).message_seq;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) return reply(res, 400, { error: "bad_seq" });
  // The membership check is the WHERE: no row, not a member.
  const [row] = await sql`
    update channel_members set last_read_seq = greatest(last_read_seq, ${seq}), last_read_at = now()
     where channel_id = ${decodeURIComponent(route[1])} and uid = ${uid} and left_seq is null
    returning last_read_seq`;
  if (!row) return reply(res, 403, { error: "not_a_member" });
  reply(res, 200, { ok: true, last_read_seq: Number(row.last_read_seq) });
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => void handle(req, Buffer.concat(chunks).toString(), res).catch((e) => reply(res, 500, { error: String(e) })));
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void (sql?.end({ timeout: 1 }) ?? Promise.resolve()).then(() => process.exit(0));
});

async function readStdin() {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
