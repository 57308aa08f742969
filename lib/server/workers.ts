import type { SendHandle } from "node:child_process";
import cluster, { type Worker } from "node:cluster";
import type { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { setupMaster, setupWorker } from "@socket.io/sticky";
import { loadConfig } from "@/lib/config";
import { closeDb, db } from "@/lib/db/client";
import { takeUndeliveredNotices } from "@/lib/db/queries/outbox";
import { listen, type OrphanNotices, prepareSecretsAndDatabase, type RunningServer, startNode, startServer } from "./boot";

/** Idle limit of the connections the primary relays (above the workers' 60 s request timeout). */
const RELAY_IDLE_MS = 65_000;
const HOLD = fileURLToPath(new URL("./workers-hold.cjs", import.meta.url));
const log = (msg: string) => console.log(`[imdesk] ${msg}`);

// What the primary and its workers say to each other over the cluster's IPC channel.
type ToPrimary = { type: "imdesk:ready" } | { type: "imdesk:orphans?" };
type ToWorker = { type: "imdesk:orphans"; notices: OrphanNotices; broadcast: boolean };

/** The worker's slot (0…N-1), kept by its replacements: slot 0 does the once-per-machine background work. */
const SLOT_ENV = "IMDESK_WORKER_SLOT";
/** Whether the worker is one of the first N, which share the orphan notices the primary took at start. */
const FIRST_ENV = "IMDESK_WORKER_FIRST";

// A worker that keeps dying before it is ready is retried with a growing pause, then the server gives up.
const MAX_FAILED_STARTS = 10;
// SIGTERM to a worker lets it close sockets and finish its outbox batch; past this it is killed.
const WORKER_STOP_MS = 12_000;

/**
 * server.ts's one entry: WORKERS=1 is the single process of before
 * (lib/server/boot.ts); WORKERS>1 makes this process the primary, or — in a
 * process the primary forked — one of its workers.
 */
export async function startServerProcess({ dev, entry }: { dev: boolean; entry: string }): Promise<RunningServer> {
  if (cluster.isWorker) return startWorker({ dev });
  const workers = loadConfig().WORKERS;
  if (workers <= 1) return startServer({ dev });
  return startPrimary({ dev, workers, entry });
}

/**
 * The primary does what must happen once — secrets, test mode, the embedded
 * PostgreSQL (kept alive here), migrations, the demo seed, taking the notices
 * a crashed predecessor left — then forks the workers, and only when all are
 * ready listens on the port and hands each connection to one of them.
 *
 * Stickiness: Socket.IO's HTTP long-polling sends each session's requests on
 * connections of their own, and they must all reach the worker that holds the
 * session. @socket.io/sticky is Socket.IO's own answer and is kept with it:
 * the primary reads each connection's first request, routes a `sid=` to its
 * worker and anything else by the balancing method; Socket.IO's answers close
 * their connection, API and page answers keep theirs (keepAliveOutsideSocketIo
 * below); a request whose body may span several chunks is
 * relayed by the primary rather than handed over half-read. Balancing is
 * round-robin, not its least-connection: that counts Socket.IO sessions only
 * and breaks ties to the first worker, so plain HTTP traffic (the API) with
 * few sockets would all go to worker 1.
 */
/**
 * Whether the sticky primary deals new connections to this worker. It picks
 * among Object.keys(cluster.workers), so a worker still starting (a
 * replacement loading Next for seconds) is kept out of that list by making its
 * entry non-enumerable; lookups by id — sticky's routing of a session to its
 * worker, Node's own bookkeeping — still find it.
 */
function dealTo(worker: Worker, deal: boolean) {
  const workers = cluster.workers;
  if (workers && Object.hasOwn(workers, worker.id)) Object.defineProperty(workers, worker.id, { enumerable: deal });
}

async function startPrimary({ dev, workers, entry }: { dev: boolean; workers: number; entry: string }): Promise<RunningServer> {
  const started = performance.now();
  const prepared = await prepareSecretsAndDatabase();
  const { cfg } = prepared;
  // Workers share realtime (rooms, events, room changes) through the Postgres adapter, as instances do.
  process.env.CLUSTER = "postgres";
  let notices: OrphanNotices = [];
  try {
    if (cfg.OUTBOX_DISPATCH) notices = await takeUndeliveredNotices({ db: db() });
    // The primary serves no request: its pool's connections are the workers' to use.
    await closeDb();
  } catch (err) {
    await prepared.stop().catch(() => {});
    throw err;
  }
  if (notices.length)
    log(
      `${notices.length} undelivered notice(s) from the previous process, offered to reconnecting devices for ${cfg.OUTBOX_RECOVERY_MS / 1000} s`,
    );

  let stopping = false;
  const bySlot = new Map<number, Worker>();
  const failedStarts = new Map<number, number>();
  const ready = new Set<Worker>();
  const live = new Set<Worker>();
  let firstGeneration: { resolve: () => void; reject: (err: Error) => void } | undefined;

  const fork = (slot: number, first: boolean) => {
    const worker = cluster.fork({ [SLOT_ENV]: String(slot), [FIRST_ENV]: first ? "1" : "0" });
    bySlot.set(slot, worker);
    live.add(worker);
    dealTo(worker, false);
    worker.on("message", (msg: ToPrimary) => {
      if (msg?.type === "imdesk:orphans?") {
        const reply: ToWorker = { type: "imdesk:orphans", notices: first ? notices : [], broadcast: first && slot === 0 };
        worker.send(reply);
      } else if (msg?.type === "imdesk:ready") {
        ready.add(worker);
        dealTo(worker, true);
        failedStarts.delete(slot);
        if (!first) log(`worker ${worker.id} (pid ${worker.process.pid}) replaced the one in slot ${slot + 1}`);
        if (firstGeneration && ready.size === workers) firstGeneration.resolve();
      }
    });
    worker.on("exit", (code, signal) => {
      const wasReady = ready.delete(worker);
      live.delete(worker);
      if (bySlot.get(slot) === worker) bySlot.delete(slot);
      if (stopping) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (firstGeneration) return firstGeneration.reject(new Error(`worker ${worker.id} ${how} while starting`));
      const failures = wasReady ? 0 : (failedStarts.get(slot) ?? 0) + 1;
      failedStarts.set(slot, failures);
      if (failures >= MAX_FAILED_STARTS) {
        console.error(`[imdesk] worker in slot ${slot + 1} failed to start ${failures} times in a row; stopping`);
        void shutdownAndExit(1);
        return;
      }
      console.error(`[imdesk] worker ${worker.id} (pid ${worker.process.pid}) ${how}; starting a replacement`);
      setTimeout(() => !stopping && fork(slot, false), failures * 500).unref();
    });
  };

  const stopWorkers = async () => {
    stopping = true;
    await Promise.all(
      [...live].map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            const timer = setTimeout(() => w.process.kill("SIGKILL"), WORKER_STOP_MS);
            w.once("exit", (code, signal) => {
              clearTimeout(timer);
              log(`worker ${w.id} stopped (${signal ?? `code ${code}`})`);
              resolve();
            });
            w.process.kill("SIGTERM");
          }),
      ),
    );
  };

  // The primary's own server only accepts connections and passes them on; it never parses a request.
  const httpServer = createServer();
  const stop = async () => {
    // No new connections; those already handed over are the workers' to close (the primary's count of
    // them never drains, so close() is not awaited).
    if (httpServer.listening) httpServer.close();
    await stopWorkers();
    await prepared.stop();
  };
  const shutdownAndExit = async (code: number) => {
    await stop().catch((err) => console.error("[imdesk] unclean shutdown", err));
    process.exit(code);
  };

  try {
    // "advanced": the request bytes sticky passes to a worker stay Buffers over IPC (JSON would mangle them).
    // Workers run server.ts itself (not `npm start`'s wrapper, which would check the build again), with the same Node flags (tsx).
    cluster.setupPrimary({ exec: entry, execArgv: ["--require", HOLD, ...process.execArgv], serialization: "advanced", silent: false });
    setupMaster(httpServer, { loadBalancingMethod: "round-robin" });
    // A connection whose first request has a body stays in this process: sticky relays its bytes
    // to a stand-in socket in the worker, whose timeouts never fire, and keeps it open when that
    // worker dies. So idle ones are closed here, after the worker's own 60 s request timeout, or
    // a client could pin descriptors by going quiet. (A handed-over socket's timer is cleared by
    // Node when its handle is sent.)
    httpServer.on("connection", (socket) => socket.setTimeout(RELAY_IDLE_MS, () => socket.destroy()));
    await new Promise<void>((resolve, reject) => {
      firstGeneration = { resolve, reject };
      for (let slot = 0; slot < workers; slot++) fork(slot, true);
    });
    firstGeneration = undefined;
    const url = await listen(httpServer, cfg);
    log(
      `ready on ${url} in ${((performance.now() - started) / 1000).toFixed(1)}s (${dev ? "development" : "production"}, ${workers} workers)`,
    );
    return { url, stop };
  } catch (err) {
    firstGeneration = undefined;
    await stop().catch(() => {});
    throw err;
  }
}

/**
 * A worker: the runtime the primary settled arrives in its environment; it
 * builds one serving node, takes its connections from the primary (sticky),
 * and says when it is ready. Slot 0 does the once-per-machine background work.
 */
async function startWorker({ dev }: { dev: boolean }): Promise<RunningServer> {
  const id = cluster.worker?.id ?? 0;
  const slot = Number(process.env[SLOT_ENV] ?? "0");
  const cfg = loadConfig();
  const orphans = await askPrimary();
  const node = await startNode({ dev, cfg, workerId: id, background: { orphans, once: slot === 0 } });
  keepAliveOutsideSocketIo(node.io.httpServer, id, () => setupWorker(node.io));
  // What the primary handed this worker while it started (lib/server/workers-hold.cjs), now served in order.
  for (const [msg, handle] of heldConnections()) process.emit("message", msg, handle);
  log(`worker ${id} (pid ${process.pid}) ready`);
  process.send?.({ type: "imdesk:ready" } satisfies ToPrimary);
  return { url: `http://localhost:${cfg.PORT}`, stop: node.stop };
}

/**
 * setupWorker makes every answer `Connection: close`, so that a browser never
 * reuses a connection the primary routed for one polling session for another
 * session's request. Applied to every request that made each API call and page
 * a new TCP connection through the primary: 2 workers measured 3× slower than
 * 1 on 2 cores (docs/operations.md), and autocannon lost half its requests.
 * Only the primary's routing needs it, and only for Socket.IO's own requests,
 * so this replaces sticky's listener with one that closes `/socket.io/`
 * connections only; API and page connections stay alive, on the worker that
 * took them.
 *
 * What remains: a browser shares one pool of connections per origin, so it may
 * send a polling request of a session held by worker B on a kept-alive API
 * connection to worker A. Worker A knows it is not the session's (its id
 * names its worker, `w<id>_`) and that the primary did not route this request
 * (it is not the connection's first), so it answers 307 to the same URL with
 * `Connection: close`: the browser repeats it (method and body kept) and the
 * primary routes it by its sid. Answering it here instead would be Engine.IO's
 * 400 "Session ID unknown", and the client's reconnect would land its new
 * session on A. A first request is never redirected: the primary routed it by
 * sid already, so its worker is gone and the 400 (then a reconnect) is right.
 */
function keepAliveOutsideSocketIo(httpServer: EventEmitter, workerId: number, setup: () => void) {
  const before = new Set(httpServer.listeners("request"));
  setup();
  const all = httpServer.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  const sticky = all.filter((l) => !before.has(l));
  if (sticky.length !== 1) throw new Error(`@socket.io/sticky added ${sticky.length} request listeners, expected its one`);
  const rest = all.filter((l) => l !== sticky[0]);
  const mine = `w${workerId.toString(36)}_`;
  const served = new WeakSet<object>();
  httpServer.removeAllListeners("request");
  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const reused = served.has(req.socket);
    served.add(req.socket);
    if (req.url?.startsWith("/socket.io/")) {
      res.setHeader("Connection", "close");
      const sid = /[?&]sid=([\w-]{20})/.exec(req.url)?.[1];
      if (reused && sid?.startsWith("w") && !sid.startsWith(mine)) {
        res.writeHead(307, { Location: req.url, "Cache-Control": "no-store", "Content-Length": "0" }).end();
        return;
      }
    }
    for (const l of rest) l.call(httpServer, req, res);
  });
}

function heldConnections(): [unknown, SendHandle][] {
  const holder = (globalThis as { __imdeskHeldConnections?: { release(): [unknown, SendHandle][] } }).__imdeskHeldConnections;
  return holder?.release() ?? [];
}

/** The notices the primary took at start: the first workers share them (worker 1 broadcasts); replacements get none. */
function askPrimary(): Promise<{ notices: OrphanNotices; broadcast: boolean }> {
  if (process.env[FIRST_ENV] !== "1") return Promise.resolve({ notices: [], broadcast: false });
  return new Promise((resolve) => {
    const onMessage = (msg: ToWorker) => {
      if (msg?.type !== "imdesk:orphans") return;
      process.off("message", onMessage);
      resolve({ notices: msg.notices, broadcast: msg.broadcast });
    };
    process.on("message", onMessage);
    process.send?.({ type: "imdesk:orphans?" } satisfies ToPrimary);
  });
}
