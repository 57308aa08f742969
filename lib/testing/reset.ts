import { hashPassword } from "@/lib/auth/password";
import { usersChanged } from "@/lib/auth/user-cache";
import { resetClock } from "@/lib/clock";
import { runtime } from "@/lib/config";
import { truncateAllTables } from "@/lib/db/queries/testing";
import { seedDemo } from "@/lib/seed/demo";
import type { Deps } from "@/lib/shared/context";
import { setSingleton, singleton } from "@/lib/util/singleton";

// scrypt costs ~50 ms a hash on purpose; one hash of the demo password, made once, keeps a reset fast.
const demoHashes = () => singleton("test-demo-hashes", () => new Map<string, Promise<string>>());

export function demoPasswordHash(password = runtime().demoPassword): Promise<string> {
  const hashes = demoHashes();
  let h = hashes.get(password);
  if (!h) {
    h = hashPassword(password);
    hashes.set(password, h);
  }
  return h;
}

/**
 * POST /api/test/reset: the database back to the demo seed (every table
 * truncated, identities restarted), and everything the process keeps between
 * requests forgotten — rate-limit buckets (limiting back on), pending receipt
 * flushes, notices kept for reconnecting devices, the moved clock. Connected
 * sockets get `test:reset` and are disconnected: what they hold is gone.
 */
export async function resetToDemo(ctx: Deps<"db" | "io" | "limiter" | "receiptUpdates">): Promise<{ reset: true; took_ms: number }> {
  const started = performance.now();
  const passwordHash = await demoPasswordHash();
  await ctx.db().transaction(async (tx) => {
    await truncateAllTables({ db: tx });
    await seedDemo(tx, runtime().demoPassword, { passwordHash });
  });
  // The accounts were all replaced: no instance may answer from a cached row.
  await usersChanged(ctx, "all");
  ctx.limiter.clear();
  ctx.receiptUpdates.clear();
  setSingleton("notice-recovery", undefined);
  resetClock();
  const io = ctx.io();
  if (io) {
    io.emit("test:reset", {});
    io.disconnectSockets();
  }
  return { reset: true, took_ms: Math.round(performance.now() - started) };
}
