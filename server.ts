import { fileURLToPath } from "node:url";
import { loadConfig } from "@/lib/config";

function failed(err: unknown): never {
  console.error("[imdesk] failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
}

// The configuration is checked before the server's modules load (some read it as they load): a bad value is one line saying which.
try {
  loadConfig();
} catch (err) {
  failed(err);
}
const { startServerProcess } = await import("@/lib/server/workers");
const dev = process.env.NODE_ENV !== "production";
// WORKERS=1: this process serves; WORKERS>1: it is the primary, or a worker it forked (lib/server/workers.ts).
const server = await startServerProcess({ dev, entry: fileURLToPath(import.meta.url) }).catch(failed);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[imdesk] ${signal}: closing sockets, finishing work, stopping the database`);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  try {
    await server.stop();
    process.exit(0);
  } catch (err) {
    console.error("[imdesk] unclean shutdown", err);
    process.exit(1);
  }
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
