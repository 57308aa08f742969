import { randomBytes } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import path from "node:path";
import next from "next";
import { startUserCache, stopUserCache } from "@/lib/auth/user-cache";
import { type Config, loadConfig, publishRuntime, runtime } from "@/lib/config";
import { closeDb, db } from "@/lib/db/client";
import { takeUndeliveredNotices } from "@/lib/db/queries/outbox";
import { createApiListener, isApiRequest, refuseBeforeRouting, writeJsonError } from "@/lib/http/node";
import { startGapRepair } from "@/lib/ingest/gap-repair";
import { backfillCmdBindings } from "@/lib/outbox/cmd-bindings";
import { OutboxDispatcher, outboxDeps } from "@/lib/outbox/dispatcher";
import { NoticeRecovery } from "@/lib/outbox/recovery";
import { deliverOutboxItem } from "@/lib/outbox/topics";
import type { IoServer } from "@/lib/realtime/io";
import { startReadEventRetention } from "@/lib/receipts/retention";
import { applySecurityHeaders } from "@/lib/security/headers";
import { seedDemo } from "@/lib/seed/demo";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "@/lib/server/embedded-db";
import { migrateDatabase } from "@/lib/server/migrate";
import { loadOrCreateSecrets } from "@/lib/server/secrets";
import { createRealtimeServer } from "@/lib/server/socket-server";
import type { AppContext } from "@/lib/shared/context";
import { prepareTestMode } from "@/lib/testing/mode";
import { attachClusterAdapter } from "./cluster";
import { installAppContext, productionContext } from "./context";

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

const log = (msg: string) => console.log(`[imdesk] ${msg}`);

/** A step's stop; steps are stopped in reverse order of starting. */
type Stop = () => Promise<void> | void;

/**
 * Brings the whole app up in this one process (WORKERS=1): what must happen
 * once (secrets, database, migrations, demo seed), then one node serving
 * Next, Socket.IO and the API with the background work. Everything it
 * starts, stop() stops, in reverse order.
 */
export async function startServer({ dev }: { dev: boolean }): Promise<RunningServer> {
  const started = performance.now();
  const prepared = await prepareSecretsAndDatabase();
  try {
    const node = await startNode({ dev, cfg: prepared.cfg, background: { orphans: "take", once: true } });
    const stop = async () => {
      await node.stop();
      await prepared.stop();
    };
    try {
      const url = await listen(node.httpServer, prepared.cfg);
      log(`ready on ${url} in ${((performance.now() - started) / 1000).toFixed(1)}s (${dev ? "development" : "production"})`);
      return { url, stop };
    } catch (err) {
      await node.stop().catch(() => {});
      throw err;
    }
  } catch (err) {
    await prepared.stop().catch(() => {});
    throw err;
  }
}

export interface Prepared {
  cfg: Config;
  /** Closes this process's pool and stops the embedded database (if it started one). */
  stop(): Promise<void>;
}

/**
 * What happens once per machine, whatever the number of workers: secrets,
 * test mode, the database (embedded unless DATABASE_URL, kept alive by this
 * process), migrations and the demo seed. Its outcome reaches every module
 * copy, and every worker forked afterwards, through process.env (publishRuntime).
 */
export async function prepareSecretsAndDatabase(): Promise<Prepared> {
  const initial = loadConfig();
  const dataDir = path.resolve(initial.DATA_DIR);
  const secrets = loadOrCreateSecrets(dataDir);
  // Before any database is touched: test mode refuses a production server on a database it does not own.
  const testToken = prepareTestMode(initial, dataDir, log);
  // Route handlers read these at runtime: publish generated values first.
  publishRuntime({
    authSecret: secrets.auth_secret,
    webhookSecret: secrets.webhook_secret,
    testToken,
    dbMode: initial.DATABASE_URL ? "external" : "embedded",
    demoSeed: initial.demoSeed,
  });

  let embedded: EmbeddedDatabase | undefined;
  if (!initial.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({ dataDir, password: secrets.pg_password });
    publishRuntime({
      authSecret: secrets.auth_secret,
      webhookSecret: secrets.webhook_secret,
      databaseUrl: embedded.url,
      dbMode: "embedded",
      demoSeed: initial.demoSeed,
    });
    log(`embedded PostgreSQL ${embedded.version} under ${path.join(dataDir, "pg")}`);
    reviveWhenItDies(embedded);
  }
  const cfg = loadConfig();
  const stop = async () => {
    await closeDb();
    await embedded?.stop();
  };
  try {
    await migrateDatabase(runtime().databaseUrl ?? "");
    if (initial.demoSeed && (await seedDemo(db(), cfg.DEMO_PASSWORD))) log("seeded demo users alice, bob, carol, dave, admin");
    return { cfg, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/** Socket notices a crashed predecessor committed but never sent (lib/outbox/recovery.ts). */
export type OrphanNotices = Awaited<ReturnType<typeof takeUndeliveredNotices>>;

export interface BackgroundPlan {
  /**
   * "take": this process takes the orphans itself (one process, or an
   * instance of a cluster); a list: the primary took them for its workers;
   * "none": a replacement worker, whose predecessor's entries the live
   * workers' dispatchers deliver when their lease runs out.
   */
  orphans: "take" | "none" | { notices: OrphanNotices; broadcast: boolean };
  /** Whether the once-per-machine work runs here: read-event retention, gap repair, the CMD backfill. */
  once: boolean;
}

export interface Node {
  httpServer: HttpServer;
  io: IoServer;
  stop(): Promise<void>;
}

/**
 * One serving node: the HTTP server with Next and the API, Socket.IO on it,
 * and the background work; not yet listening (a worker gets its connections
 * from the primary instead).
 */
export async function startNode({
  dev,
  cfg,
  background,
  workerId,
}: {
  dev: boolean;
  cfg: Config;
  background: BackgroundPlan;
  /** Set in a worker: answers carry it (X-Imdesk-Worker), so which worker served is visible. */
  workerId?: number;
}): Promise<Node> {
  const stops: Stop[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    // Before anything can read or send: the one context of services (lib/server/context.ts), handed to every edge below.
    const ctx = installAppContext(productionContext(cfg));
    const httpServer = await buildHttpServer({ ctx, dev, cfg, workerId });
    stops.push(() => closeHttpServer(httpServer));
    const realtime = await attachRealtime(httpServer, { ctx, dev, cfg, workerId });
    stops.push(realtime.stop);
    stops.push(await startBackgroundWork(ctx, cfg, background));
    return { httpServer, io: realtime.io, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/** Next and the API on one node:http server, with the security headers and the API's error shape for what Node refuses. */
export async function buildHttpServer({
  ctx,
  dev,
  cfg,
  workerId,
}: {
  ctx: AppContext;
  dev: boolean;
  cfg: Config;
  workerId?: number;
}): Promise<HttpServer> {
  const app = next({ dev, dir: process.cwd(), hostname: "localhost", port: cfg.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();
  const upgrade = app.getUpgradeHandler();

  const handleApi = createApiListener(ctx);
  const apiDirect = !cfg.IMDESK_API_VIA_NEXT;
  const httpServer = createServer({ requestTimeout: 60_000 }, (req, res) => {
    if (workerId !== undefined) res.setHeader(WORKER_HEADER, String(workerId));
    const api = isApiRequest(req.url);
    applySecurityHeaders(req, res, { dev, api });
    if (refuseBeforeRouting(req, res, api)) return;
    Promise.resolve(api && apiDirect ? handleApi(req, res) : handle(req, res)).catch((err) => {
      console.error("[imdesk] request failed", err);
      writeJsonError(res, "internal_error", "Something went wrong on our side.");
    });
  });
  // Requests Node's parser refuses (oversized headers, malformed lines) still get the API's error shape.
  httpServer.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
    const body = JSON.stringify({
      error: {
        code: tooLarge ? "payload_too_large" : "invalid_request",
        message: tooLarge ? "Request headers too large." : "Malformed HTTP request.",
      },
    });
    socket.end(
      `HTTP/1.1 ${tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request"}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  httpServer.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith("/socket.io")) void upgrade(req, socket, head);
  });
  return httpServer;
}

/** The response header naming the worker that answered (WORKERS > 1). */
export const WORKER_HEADER = "x-imdesk-worker";

/**
 * Socket.IO on the node's HTTP server, with the Postgres adapter when
 * instances or workers share realtime. In a worker, engine session ids start
 * with `w<worker>_`, so a client can see which worker holds its socket.
 */
export async function attachRealtime(
  httpServer: HttpServer,
  { ctx, dev, cfg, workerId }: { ctx: AppContext; dev: boolean; cfg: Config; workerId?: number },
): Promise<{ io: IoServer; stop: Stop }> {
  const io = createRealtimeServer(httpServer, { dev, ctx });
  if (workerId !== undefined) io.engine.generateId = () => workerSessionId(workerId);
  let adapterPool: { end(): Promise<void> } | undefined;
  const stop = async () => {
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await adapterPool?.end();
    await stopUserCache();
  };
  try {
    if (cfg.CLUSTER === "postgres") adapterPool = await attachClusterAdapter(io, runtime().databaseUrl ?? "");
    // The cached account lookup listens for changes, and answers other instances' `users:changed`.
    startUserCache(ctx);
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  io.engine.on("connection_error", () => {});
  return { io, stop };
}

/**
 * Exactly 20 characters of [A-Za-z0-9_-], as Engine.IO's own ids and as
 * @socket.io/sticky's primary expects to find in `sid=` when it routes a
 * polling request back to its worker.
 */
function workerSessionId(workerId: number): string {
  const prefix = `w${workerId.toString(36)}_`;
  return (
    prefix +
    randomBytes(15)
      .toString("base64url")
      .slice(0, 20 - prefix.length)
  );
}

/**
 * The background work: outbox dispatch (every node: claims are exclusive,
 * SKIP LOCKED), notices a crashed predecessor left (per plan), and the
 * once-per-machine work — read-event retention, gap repair, the CMD backfill.
 */
export async function startBackgroundWork(ctx: AppContext, cfg: Config, plan: BackgroundPlan): Promise<Stop> {
  let dispatcher: OutboxDispatcher | undefined;
  let stopRetention: (() => void) | undefined;
  let stopGapRepair: (() => void) | undefined;
  if (cfg.OUTBOX_DISPATCH) {
    // Before accepting connections: notices a crashed predecessor left are
    // broadcast to whoever is connected elsewhere in a cluster, and handed to
    // this instance's devices as they reconnect.
    const orphans =
      plan.orphans === "take"
        ? { notices: await takeUndeliveredNotices({ db: ctx.db() }), broadcast: true }
        : plan.orphans === "none"
          ? { notices: [], broadcast: false }
          : plan.orphans;
    if (orphans.broadcast)
      for (const n of orphans.notices)
        await deliverOutboxItem(ctx, n).catch((err) => console.error("[imdesk] undeliverable notice", n.id, err));
    new NoticeRecovery(orphans.notices, cfg.OUTBOX_RECOVERY_MS, ctx.now).install();
    if (orphans.notices.length && orphans.broadcast)
      log(
        `${orphans.notices.length} undelivered notice(s) from the previous process, offered to reconnecting devices for ${cfg.OUTBOX_RECOVERY_MS / 1000} s`,
      );
    if (plan.once)
      await backfillCmdBindings({ db: ctx.db() }).then(
        (n) => n && log(`binding ${n} member(s) to their channels' CMDs on WuKongIM main (once)`),
        (err) => console.error("[imdesk] CMD binding backfill failed (the next start tries again)", err),
      );
    dispatcher = new OutboxDispatcher(outboxDeps(ctx));
    dispatcher.start();
  }
  if (plan.once) {
    stopRetention = startReadEventRetention(ctx);
    stopGapRepair = startGapRepair(ctx);
  }
  return async () => {
    stopRetention?.();
    stopGapRepair?.();
    await dispatcher?.stop();
  };
}

async function closeHttpServer(httpServer: HttpServer) {
  if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
}

/** Listens on PORT/HOSTNAME; the URL to print (the port actually taken when PORT=0). */
export async function listen(httpServer: HttpServer, cfg: Config): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(cfg.PORT, cfg.HOSTNAME, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : cfg.PORT;
  return `http://localhost:${port}`;
}

const REVIVE_ATTEMPTS = 10;

/**
 * The embedded database is ours to keep alive: if its process dies, requests
 * answer 503 while it is started again on the same port and data (pools
 * reconnect by themselves). If it cannot be started, the process exits
 * non-zero with the reason, rather than serving 503 forever.
 */
function reviveWhenItDies(embedded: EmbeddedDatabase) {
  embedded.onUnexpectedExit(async (how) => {
    log(`embedded PostgreSQL ${how}; starting it again`);
    let lastError: unknown;
    for (let attempt = 1; attempt <= REVIVE_ATTEMPTS; attempt++) {
      try {
        await embedded.start();
        log(`embedded PostgreSQL is back (attempt ${attempt})`);
        return;
      } catch (err) {
        lastError = err;
        // Backends of the dead server may still hold its shared memory for a moment.
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
    console.error(
      `[imdesk] embedded PostgreSQL could not be started again after it ${how}; exiting. ${(lastError as Error)?.message ?? lastError}`,
    );
    process.exit(1);
  });
}
