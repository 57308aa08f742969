import { io } from "socket.io-client";

// A separate load-generating process: each virtual client moves its own read
// cursor forward, one Socket.IO `read` with ack at a time. (HTTP load is
// autocannon's, in bench/http-load.ts.)
interface Job {
  url: string;
  channelId: string;
  tokens: string[];
  reads: number;
  startSeq: number;
  durationMs?: number;
}

const job = JSON.parse(process.argv[2]) as Job;

async function socketClient(token: string, record: (t: number) => void, until: () => boolean) {
  const s = io(job.url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    s.once("connect", resolve);
    s.once("connect_error", reject);
  });
  if (++connected === job.tokens.length) allConnected();
  await ready;
  try {
    for (let seq = job.startSeq + 1; until(); seq++) {
      const ack = await s.emitWithAck("read", { channel_id: job.channelId, message_seq: seq });
      if (!ack.ok) throw new Error(`read ack: ${JSON.stringify(ack)}`);
      record(seq);
    }
  } finally {
    s.disconnect();
  }
}

let connected = 0;
let allConnected!: () => void;
const connectedAll = new Promise<void>((r) => {
  allConnected = r;
});
let release!: () => void;
const ready = new Promise<void>((r) => {
  release = r;
});

const perSecond: number[] = [];
let done = 0;
const finals: Record<string, number> = {};
const started = { at: 0 };
const clients = job.tokens.map((token, i) => {
  let n = 0;
  const until = () => (job.durationMs ? performance.now() - started.at < job.durationMs : n < job.reads);
  const record = (seq: number) => {
    n++;
    done++;
    finals[i] = seq;
    const sec = Math.floor((performance.now() - started.at) / 1000);
    perSecond[sec] = (perSecond[sec] ?? 0) + 1;
  };
  return () => socketClient(token, record, until);
});

// Sockets connect first; the clock starts when every client is ready.
const running = clients.map((c) => c());
await connectedAll;
started.at = performance.now();
release();
await Promise.all(running);
const ms = performance.now() - started.at;
process.stdout.write(`${JSON.stringify({ reads: done, ms, perSecond, finals })}\n`);
process.exit(0);
