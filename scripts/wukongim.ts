import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePort } from "../lib/util/free-port";

/**
 * A real WuKongIM beside imdesk, built from the source archives in
 * `../shared/wukongim` (or WUKONGIM_SRC_DIR): `npm run wukongim -- build|start|stop [v2|main]`.
 * The same build/start/stop is the library the real-server tests use.
 */

export type WuKongImVersion = "v2" | "main";
export const VERSIONS: WuKongImVersion[] = ["v2", "main"];

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Each archive unpacks to one folder; v2 builds from its root, main from cmd/wukongim.
const ARCHIVE_PREFIX: Record<WuKongImVersion, string> = { v2: "wukongim-v2", main: "wukongim-main" };

export function sourceDir() {
  return process.env.WUKONGIM_SRC_DIR ? path.resolve(process.env.WUKONGIM_SRC_DIR) : path.resolve(REPO_ROOT, "..", "shared", "wukongim");
}

function cacheRoot() {
  return path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "imdesk", "wukongim");
}

function archiveOf(version: WuKongImVersion): string | null {
  const dir = sourceDir();
  if (!existsSync(dir)) return null;
  const name = readdirSync(dir).find((f) => f.startsWith(ARCHIVE_PREFIX[version]) && f.endsWith(".tar.gz"));
  return name ? path.join(dir, name) : null;
}

function goAvailable() {
  return spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
}

/** Why this version cannot be built here (no Go, no archive), or null when it can. */
export function unavailableReason(version: WuKongImVersion): string | null {
  if (!archiveOf(version))
    return `no WuKongIM ${version} source archive (${ARCHIVE_PREFIX[version]}*.tar.gz) in ${sourceDir()} (set WUKONGIM_SRC_DIR)`;
  if (!goAvailable()) return "Go is not installed (the `go` command is missing)";
  return null;
}

/** Where the binary for this archive lives: keyed by the archive's sha256, so a new archive is a new build. */
export function binaryPath(version: WuKongImVersion): string {
  const archive = archiveOf(version);
  if (!archive) throw new Error(unavailableReason(version) ?? "no archive");
  const sha = createHash("sha256").update(readFileSync(archive)).digest("hex");
  return path.join(cacheRoot(), `${version}-${sha}`, "wukongimd");
}

/** Builds the binary once per archive (a few minutes cold on two cores; instant when cached). */
export function buildWukongim(version: WuKongImVersion, log: (s: string) => void = console.log): string {
  const reason = unavailableReason(version);
  if (reason) throw new Error(`cannot build WuKongIM ${version}: ${reason}`);
  const bin = binaryPath(version);
  if (existsSync(bin)) return bin;
  const started = Date.now();
  mkdirSync(path.dirname(bin), { recursive: true });
  const work = mkdtempSync(path.join(path.dirname(bin), "src-"));
  try {
    log(`[wukongim] building ${version} from ${path.basename(archiveOf(version)!)} (once; cached in ${path.dirname(bin)})…`);
    const untar = spawnSync("tar", ["xzf", archiveOf(version)!, "-C", work], { stdio: "inherit" });
    if (untar.status !== 0) throw new Error(`unpacking the ${version} archive failed`);
    const [root] = readdirSync(work);
    const src = path.join(work, root);
    const pkg = existsSync(path.join(src, "cmd", "wukongim", "main.go")) ? "./cmd/wukongim" : ".";
    const tmpBin = path.join(work, "wukongimd");
    const go = spawnSync("go", ["build", "-o", tmpBin, pkg], {
      cwd: src,
      stdio: "inherit",
      env: { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? "0" },
    });
    if (go.status !== 0) throw new Error(`go build of WuKongIM ${version} failed (exit ${go.status})`);
    // Renamed into place only when whole: a build cut short never looks cached.
    renameSync(tmpBin, bin);
    log(`[wukongim] built ${version} in ${((Date.now() - started) / 1000).toFixed(0)}s`);
    return bin;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface StartOptions {
  version: WuKongImVersion;
  /** imdesk's webhook address (`…/api/webhooks/wukongim/<secret>`); unset: no webhook. */
  webhookUrl?: string;
  /** The manager token (v2 `managerToken`; main has none and ignores it). */
  managerToken?: string;
  /** v2: how many times a msg.notify batch is tried before it is dropped. */
  notifyRetries?: number;
  log?: (s: string) => void;
  /** Keep running after this process ends (the command line's `start`), logging to a file in its folder. */
  detached?: boolean;
}

export interface RunningWukongim {
  version: WuKongImVersion;
  pid: number;
  apiUrl: string;
  /** The client WebSocket (wkproto and JSON-RPC on one port). */
  wsUrl: string;
  managerToken: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Whatever happens to the process that started them, no WuKongIM outlives it.
process.on("exit", () => {
  for (const c of running) c.kill("SIGKILL");
});

async function ports(n: number) {
  const out: number[] = [];
  while (out.length < n) {
    const p = await findFreePort();
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

function v2Config(dir: string, o: StartOptions, p: number[], token: string) {
  const [api, tcp, ws, cluster] = p;
  const lines = [
    'mode: "release"',
    `rootDir: ${JSON.stringify(path.join(dir, "root"))}`,
    `httpAddr: "127.0.0.1:${api}"`,
    `addr: "tcp://127.0.0.1:${tcp}"`,
    `wsAddr: "ws://127.0.0.1:${ws}"`,
    `managerToken: ${JSON.stringify(token)}`,
    // Clients connect with tokens from /user/token: with token auth off every
    // connection is a slave device and v2 never reports anyone online.
    "tokenAuthOn: true",
    "pprofOn: false",
    "stress: false",
    "manager:\n  on: false",
    "demo:\n  on: false",
    "external:\n  ip: 127.0.0.1",
    `intranet:\n  tcpAddr: "127.0.0.1:${tcp}"`,
    `cluster:\n  nodeId: 1\n  addr: "tcp://127.0.0.1:${cluster}"\n  serverAddr: "127.0.0.1:${cluster}"\n  apiUrl: "http://127.0.0.1:${api}"`,
    "logger:\n  traceOn: false",
  ];
  if (o.webhookUrl)
    lines.push(`webhook:\n  httpAddr: ${JSON.stringify(o.webhookUrl)}\n  msgNotifyEventRetryMaxCount: ${o.notifyRetries ?? 5}`);
  writeFileSync(path.join(dir, "wk.yaml"), `${lines.join("\n")}\n`);
  return ["--config", path.join(dir, "wk.yaml"), "--noStdout"];
}

function mainConfig(dir: string, o: StartOptions, p: number[]) {
  const [api, tcp, ws, cluster, manager] = p;
  const q = JSON.stringify;
  const toml = `[node]
id = 1
data_dir = ${q(path.join(dir, "data"))}

[cluster]
listen_addr = "127.0.0.1:${cluster}"
id = "imdesk-test"
nodes = [{ id = 1, addr = "127.0.0.1:${cluster}" }]
slot_replica_n = 1

[api]
listen_addr = "127.0.0.1:${api}"
external_tcp_addr = "127.0.0.1:${tcp}"
external_ws_addr = "ws://127.0.0.1:${ws}"

[manager]
listen_addr = "127.0.0.1:${manager}"

[prometheus]
enable = false

[plugin]
enable = false

[log]
level = "warn"
dir = ${q(path.join(dir, "logs"))}
console = true

[gateway]
listeners = [{ name = "tcp-wkproto", network = "tcp", address = "127.0.0.1:${tcp}", transport = "gnet", protocol = "wkproto" }, { name = "ws-gateway", network = "websocket", address = "127.0.0.1:${ws}", transport = "gnet", protocol = "wsmux" }]

[webhook]
http_addr = ${q(o.webhookUrl ?? "")}
`;
  writeFileSync(path.join(dir, "wukongim.toml"), toml);
  return ["-config", path.join(dir, "wukongim.toml")];
}

async function waitForApi(url: string, token: string, child: ChildProcess, output: () => string, ms = 60_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`WuKongIM exited (${child.exitCode ?? child.signalCode}) before it answered:\n${output().slice(-4000)}`);
    // /user/token answers 200 only once the node can write (v2 answers 400 "获取频道所在节点失败" until its slot has a leader).
    const ok = await fetch(`${url}/user/token`, {
      method: "POST",
      headers: { "content-type": "application/json", token },
      body: JSON.stringify({ uid: "____probe", token: "probe", device_flag: 1, device_level: 0 }),
      signal: AbortSignal.timeout(2000),
    })
      .then(async (r) => {
        await r.arrayBuffer();
        return r.status === 200;
      })
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`WuKongIM did not answer at ${url} within ${ms / 1000}s:\n${output().slice(-4000)}`);
}

async function waitForPort(port: number, child: ChildProcess, output: () => string, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`WuKongIM exited before its client port opened:\n${output().slice(-4000)}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WuKongIM's client port ${port} did not open within ${ms / 1000}s:\n${output().slice(-4000)}`);
}

/** Starts one single-node WuKongIM on fresh ports with its data in a temporary folder; waits until it answers. */
export async function startWukongim(o: StartOptions): Promise<RunningWukongim> {
  const bin = buildWukongim(o.version, o.log);
  // Lower case only: v2 binds its plugin socket (~/.wukong/run/wukongim.sock, HOME
  // being this folder) at its path lower-cased, which must be the same folder.
  const dir = path.join(tmpdir(), `imdesk-wk-${o.version}-${randomBytes(6).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  const token = o.managerToken ?? randomBytes(12).toString("hex");
  const p = await ports(5);
  const args = o.version === "v2" ? v2Config(dir, o, p, token) : mainConfig(dir, o, p);
  // main refuses unknown WK_* variables, and v2 would read ours as settings: none are passed on.
  // HOME too: v2 binds its plugin socket at ~/.wukong/run/wukongim.sock, one per
  // machine, which a second node (or another checkout's tests) would fight over.
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  for (const key of Object.keys(env)) if (key.startsWith("WK_")) delete env[key];
  const logFile = path.join(dir, "wukongim.log");
  const out = o.detached ? openSync(logFile, "a") : "pipe";
  const child: ChildProcess = spawn(bin, args, { cwd: dir, env, stdio: ["ignore", out, out], detached: o.detached });
  let log = "";
  if (o.detached) child.unref();
  else running.add(child);
  const keep = (d: Buffer) => {
    log = (log + d).slice(-200_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const output = () => (o.detached && existsSync(logFile) ? readFileSync(logFile, "utf8") : log);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.once("exit", () => running.delete(child));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const apiUrl = `http://127.0.0.1:${p[0]}`;
  try {
    await waitForApi(apiUrl, token, child, output);
    // main opens its client listeners a moment after its API answers.
    await waitForPort(p[2], child, output);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    version: o.version,
    pid: child.pid ?? 0,
    apiUrl,
    wsUrl: `ws://127.0.0.1:${p[2]}`,
    managerToken: token,
    dataDir: dir,
    output,
    stop,
  };
}

// --- the command line: build|start|stop [v2|main] ---------------------------

function stateFile(version: WuKongImVersion) {
  return path.join(cacheRoot(), "run", `${version}.json`);
}

async function cli(argv: string[]) {
  const [cmd, v = "v2", ...rest] = argv;
  const versions = v === "all" ? VERSIONS : [v as WuKongImVersion];
  if (!versions.every((x) => VERSIONS.includes(x))) throw new Error(`unknown version ${v}: v2, main or all`);
  const flag = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (cmd === "build") {
    for (const version of versions) console.log(buildWukongim(version));
    return;
  }
  if (cmd === "start") {
    for (const version of versions) {
      if (existsSync(stateFile(version))) throw new Error(`WuKongIM ${version} already started (${stateFile(version)}); stop it first`);
      const wk = await startWukongim({
        version,
        webhookUrl: flag("webhook") ?? process.env.WUKONGIM_WEBHOOK_URL,
        managerToken: flag("token") ?? process.env.WUKONGIM_MANAGER_TOKEN,
        detached: true,
      });
      mkdirSync(path.dirname(stateFile(version)), { recursive: true });
      writeFileSync(stateFile(version), JSON.stringify({ pid: wk.pid, dataDir: wk.dataDir, apiUrl: wk.apiUrl }));
      console.log(`WuKongIM ${version} (pid ${wk.pid}) answers at ${wk.apiUrl}, clients at ${wk.wsUrl}, data in ${wk.dataDir}`);
      console.log(`Run imdesk beside it:\n  WUKONGIM_API_URL=${wk.apiUrl} WUKONGIM_MANAGER_TOKEN=${wk.managerToken} npm start`);
    }
    // The started server keeps running after this command: `stop` ends it.
    process.exit(0);
  }
  if (cmd === "stop") {
    for (const version of versions) {
      if (!existsSync(stateFile(version))) {
        console.log(`WuKongIM ${version} is not running`);
        continue;
      }
      const { pid, dataDir } = JSON.parse(readFileSync(stateFile(version), "utf8")) as { pid: number; dataDir: string };
      try {
        process.kill(pid, "SIGTERM");
        for (let i = 0; i < 100; i++) {
          process.kill(pid, 0);
          await new Promise((r) => setTimeout(r, 100));
        }
        process.kill(pid, "SIGKILL");
      } catch {}
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(stateFile(version));
      console.log(`WuKongIM ${version} stopped`);
    }
    return;
  }
  throw new Error("usage: npm run wukongim -- build|start|stop [v2|main|all] [--webhook URL] [--token TOKEN]");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  cli(process.argv.slice(2)).catch((err) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
