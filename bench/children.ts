import { type ChildProcess, spawn } from "node:child_process";
import type { FloorJob } from "./floor-server";
import type { HttpJob, HttpResult } from "./http-load";

// The bench's helper processes: load generators and floor servers each get an
// event loop (and on a multi-core machine a core) of their own.

function runChild<T>(file: string, input: string, args: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", file, ...args], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${file} exited ${code}`))));
    child.stdin!.end(input);
  });
}

/** Socket.IO reads (bench/load-client.ts). */
export function runSocketLoad(job: object): Promise<{ reads: number; ms: number; perSecond: number[]; finals: Record<string, number> }> {
  return runChild("bench/load-client.ts", "", [JSON.stringify(job)]);
}

/** HTTP load through autocannon (bench/http-load.ts); every response must be the expected one. */
export async function runHttpLoad(label: string, job: HttpJob): Promise<HttpResult & { perSecond: number }> {
  const r = await runChild<HttpResult>("bench/http-load.ts", JSON.stringify(job));
  const expected = job.connections.reduce((n, c) => n + c.requests.length, 0);
  if (r.bad || r.errors || r.timeouts || r.requests !== expected) {
    throw new Error(
      `${label}: ${r.requests}/${expected} answered, ${r.bad} unexpected (${r.badSample}), ${r.errors} errors, ${r.timeouts} timeouts`,
    );
  }
  return { ...r, perSecond: (r.requests / r.ms) * 1000 };
}

export interface FloorServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts bench/floor-server.ts and waits for its port. */
export function startFloorServer(job: FloorJob): Promise<FloorServer> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "bench/floor-server.ts"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    };
    child.on("error", reject);
    child.once("exit", (code) => reject(new Error(`floor server exited ${code} before listening`)));
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve({ url: `http://127.0.0.1:${JSON.parse(out).port}`, stop });
    });
    child.stdin!.end(JSON.stringify(job));
  });
}
