import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { findFreePort } from "@/lib/util/free-port";

export interface TestServer {
  url: string;
  port: number;
  /** Everything the server printed so far. */
  output(): string;
  /** Graceful stop (SIGTERM), as an operator would. */
  stop(): Promise<void>;
  /** A crash: SIGKILL, no cleanup. */
  kill(): Promise<void>;
}

const children = new Set<ChildProcess>();
// Whatever happens to the test process, no server outlives it.
process.on("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});

function waitForExit(child: ChildProcess, ms: number) {
  return new Promise<boolean>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

/** Starts the real server (server.ts, production build) as its own process. */
export async function startTestServer(
  env: Record<string, string | undefined>,
  // The bench runs another checkout's server (before/after) or profiles it (--cpu-prof).
  opts: { cwd?: string; nodeArgs?: string[] } = {},
): Promise<TestServer> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", "server.ts"], {
    cwd: opts.cwd ?? process.cwd(),
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      AUTH_SECRET: randomBytes(32).toString("hex"),
      DEMO_SEED: "1",
      NEXT_TELEMETRY_DISABLED: "1",
      // IMDESK_TEST_WORKERS=2 runs a test file's servers as WORKERS=2 (lib/server/workers.ts).
      ...(process.env.IMDESK_TEST_WORKERS ? { WORKERS: process.env.IMDESK_TEST_WORKERS } : {}),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let log = "";
  // IMDESK_TEST_SERVER_LOG=1 shows what the servers print, for debugging a test.
  const echo = process.env.IMDESK_TEST_SERVER_LOG === "1";
  child.stdout?.on("data", (d) => {
    log += d;
    if (echo) process.stderr.write(`[server:${port}] ${d}`);
  });
  child.stderr?.on("data", (d) => {
    log += d;
    if (echo) process.stderr.write(`[server:${port}] ${d}`);
  });

  // Each worker loads its own Next: on a loaded machine N of them take longer to be ready.
  const startMs = 60_000 * Math.max(1, Number(env.WORKERS ?? process.env.IMDESK_TEST_WORKERS ?? 1) || 1);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A server that missed its start is stopped, not left running.
      child.kill("SIGKILL");
      reject(new Error(`server did not start in ${startMs / 1000}s:\n${log}`));
    }, startMs);
    const check = () => {
      if (log.includes("ready on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${log}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    output: () => log,
    stop: async () => {
      child.kill("SIGTERM");
      if (!(await waitForExit(child, 20_000))) {
        child.kill("SIGKILL");
        await waitForExit(child, 5_000);
      }
    },
    kill: async () => {
      child.kill("SIGKILL");
      await waitForExit(child, 5_000);
    },
  };
}
