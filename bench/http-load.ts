import autocannon from "autocannon";

/**
 * The bench's HTTP load generator, a process of its own so it never shares an
 * event loop with the bench or the server under test: autocannon (its own
 * sockets and HTTP parser, keep-alive, no Fetch/undici overhead) sends each
 * connection's own list of requests, in order, one at a time. The job comes
 * on stdin (webhook batches are megabytes); the result goes to stdout.
 */
export interface HttpJob {
  url: string;
  method: "GET" | "POST";
  /** One entry per connection: its headers (its token) and the requests it sends, in order. */
  connections: { headers: Record<string, string>; requests: { path: string; body?: string }[] }[];
  expectStatus: number;
  /** Also require a history page of exactly this many messages. */
  expectMessages?: number;
  /** Responses per connection left out of the latencies (the first ones, warm-up). */
  warmup?: number;
}

export interface HttpResult {
  requests: number;
  ms: number;
  latencies: number[];
  bad: number;
  badSample?: string;
  errors: number;
  timeouts: number;
}

const job = JSON.parse(await readStdin()) as HttpJob;
const amount = job.connections.reduce((n, c) => n + c.requests.length, 0);
const lists = job.connections.map((c, i) => {
  // autocannon splits `amount` over the connections this way; each list must be exactly its share.
  const share = Math.floor(amount / job.connections.length) + (i + 1 <= amount % job.connections.length ? 1 : 0);
  if (c.requests.length !== share) throw new Error(`connection ${i}: ${c.requests.length} requests, autocannon sends ${share}`);
  return c.requests;
});

const latencies: number[] = [];
const answered = new Map<unknown, number>();
let bad = 0;
let badSample: string | undefined;
let connection = 0;
let lastResponse = 0;

const check = (status: number, body: string) => {
  let ok = status === job.expectStatus;
  if (ok && job.expectMessages !== undefined) ok = (JSON.parse(body) as { messages?: unknown[] }).messages?.length === job.expectMessages;
  if (!ok && bad++ === 0) badSample = `${status} ${body.slice(0, 300)}`;
};

const started = performance.now();
const instance = autocannon({
  url: job.url,
  method: job.method,
  connections: job.connections.length,
  amount,
  timeout: 120,
  // The run ends at the first sample tick after the last response: tick often.
  sampleInt: 20,
  setupClient(client) {
    const c = connection++;
    let next = 0;
    answered.set(client, 0);
    client.setRequests([
      {
        method: job.method,
        headers: job.connections[c].headers,
        // Called once per request sent (the first on setRequests): walks this connection's list.
        setupRequest(request) {
          const r = lists[c][next++];
          return { ...request, path: r.path, body: r.body };
        },
        onResponse: check,
      },
    ]);
  },
});
instance.on("response", (client, _status, _bytes, ms) => {
  lastResponse = performance.now();
  const n = answered.get(client)! + 1;
  answered.set(client, n);
  if (n > (job.warmup ?? 0)) latencies.push(ms);
});
const result = await instance;
const out: HttpResult = {
  requests: [...answered.values()].reduce((a, b) => a + b, 0),
  ms: lastResponse - started,
  latencies,
  bad,
  badSample,
  errors: result.errors,
  timeouts: result.timeouts,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);

async function readStdin() {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
