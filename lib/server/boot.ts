import { createServer, type Server as HttpServer } from "node:http";
import path from "node:path";
import next from "next";
import { startUserCache, stopUserCache } from "@/lib/auth/user-cache";
import { loadConfig, publishRuntime, runtime } from "@/lib/config";
import { closeDb } from "@/lib/db/client";
import { takeUndeliveredNotices } from "@/lib/db/queries/outbox";
import { createApiListener, isApiRequest, refuseBeforeRouting, writeJsonError } from "@/lib/http/node";
import { startGapRepair } from "@/lib/ingest/gap-repair";
import { backfillCmdBindings } from "@/lib/outbox/cmd-bindings";
import { OutboxDispatcher, outboxDeps } from "@/lib/outbox/dispatcher";
import { NoticeRecovery } from "@/lib/outbox/recovery";
import { deliverOutboxItem } from "@/lib/outbox/topics";
import { startReadEventRetention } from "@/lib/receipts/retention";
import { applySecurityHeaders } from "@/lib/security/headers";
import { seedDemo } from "@/lib/seed/demo";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "@/lib/server/embedded-db";
import { migrateDatabase } from "@/lib/server/migrate";
import { loadOrCreateSecrets } from "@/lib/server/secrets";
import { createRealtimeServer } from "@/lib/server/socket-server";
import { prepareTestMode } from "@/lib/testing/mode";
import { attachClusterAdapter } from "./cluster";
import { installAppContext, productionContext } from "./context";

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

const log = (msg: string) => console.log(`[imdesk] ${msg}`);

/**
 * Brings the whole app up: secrets, database (embedded unless DATABASE_URL),
 * migrations, demo seed, Next, Socket.IO and the outbox dispatcher, on one
 * HTTP server. Everything it starts, stop() stops, in reverse order.
 */
export async function startServer({ dev }: { dev: boolean }): Promise<RunningServer> {
  const started = performance.now();
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

  let httpServer: HttpServer | undefined;
  let dispatcher: OutboxDispatcher | undefined;
  let adapterPool: { end(): Promise<void> } | undefined;
  let stopRetention: (() => void) | undefined;
  let stopGapRepair: (() => void) | undefined;
  const stop = async () => {
    stopRetention?.();
    stopGapRepair?.();
    await dispatcher?.stop();
    const io = (await import("@/lib/realtime/io")).getIo();
    await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
    if (httpServer?.listening) await new Promise<void>((resolve) => httpServer?.close(() => resolve()));
    await adapterPool?.end();
    await stopUserCache();
    await closeDb();
    await embedded?.stop();
  };

  try {
    await migrateDatabase(runtime().databaseUrl ?? "");
    // Before anything can read or send: the one context of services (lib/server/context.ts), handed to every edge below.
    const ctx = installAppContext(productionContext(cfg));
    if (initial.demoSeed && (await seedDemo(ctx.db(), cfg.DEMO_PASSWORD))) log("seeded demo users alice, bob, carol, dave, admin");

    const app = next({ dev, dir: process.cwd(), hostname: "localhost", port: cfg.PORT });
    const handle = app.getRequestHandler();
    await app.prepare();
    const upgrade = app.getUpgradeHandler();

    const handleApi = createApiListener(ctx);
    const apiDirect = !cfg.IMDESK_API_VIA_NEXT;
    httpServer = createServer({ requestTimeout: 60_000 }, (req, res) => {
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
    const io = createRealtimeServer(httpServer, { dev, ctx });
    if (cfg.CLUSTER === "postgres") adapterPool = await attachClusterAdapter(io, runtime().databaseUrl ?? "");
    // The cached account lookup listens for changes, and answers other instances' `users:changed`.
    startUserCache(ctx);
    httpServer.on("upgrade", (req, socket, head) => {
      if (!req.url?.startsWith("/socket.io")) void upgrade(req, socket, head);
    });
    io.engine.on("connection_error", () => {});

    if (cfg.OUTBOX_DISPATCH) {
      // Before accepting connections: notices a crashed predecessor left are
      // broadcast to whoever is connected elsewhere in a cluster, and handed to
      // this instance's devices as they reconnect.
      const orphans = await takeUndeliveredNotices({ db: ctx.db() });
      for (const n of orphans) await deliverOutboxItem(ctx, n).catch((err) => console.error("[imdesk] undeliverable notice", n.id, err));
      new NoticeRecovery(orphans, cfg.OUTBOX_RECOVERY_MS, ctx.now).install();
      if (orphans.length)
        log(
          `${orphans.length} undelivered notice(s) from the previous process, offered to reconnecting devices for ${cfg.OUTBOX_RECOVERY_MS / 1000} s`,
        );
      await backfillCmdBindings({ db: ctx.db() }).then(
        (n) => n && log(`binding ${n} member(s) to their channels' CMDs on WuKongIM main (once)`),
        (err) => console.error("[imdesk] CMD binding backfill failed (the next start tries again)", err),
      );
      dispatcher = new OutboxDispatcher(outboxDeps(ctx));
      dispatcher.start();
    }

    stopRetention = startReadEventRetention(ctx);
    stopGapRepair = startGapRepair(ctx);

    await new Promise<void>((resolve, reject) => {
      httpServer?.once("error", reject);
      httpServer?.listen(cfg.PORT, cfg.HOSTNAME, () => resolve());
    });
    const address = httpServer.address();
    const port = typeof address === "object" && address ? address.port : cfg.PORT;
    const url = `http://localhost:${port}`;
    log(`ready on ${url} in ${((performance.now() - started) / 1000).toFixed(1)}s (${dev ? "development" : "production"})`);
    return { url, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
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
