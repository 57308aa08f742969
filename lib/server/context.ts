import { now } from "@/lib/clock";
import { type Config, config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { advanceCursors, takeFlushLease } from "@/lib/db/queries/receipts";
import { emitToUsers, getIo } from "@/lib/realtime/io";
import { sendCountUpdates } from "@/lib/receipts/count-updates";
import { ReadBatcher } from "@/lib/receipts/read-batcher";
import { installRateLimiter, RateLimiter } from "@/lib/security/rate-limit";
import { announceRead } from "@/lib/shared/announce-read";
import { type AppContext, installContext } from "@/lib/shared/context";
import { installReceiptUpdateCoalescer, ReceiptUpdateCoalescer } from "@/lib/shared/update-coalescer";

export type { AppContext } from "@/lib/shared/context";

type Base = Pick<AppContext, "config" | "now" | "db" | "emitToUsers" | "io">;

/**
 * The context of services (its type and what it holds: lib/shared/context.ts),
 * built from its base parts. Services with state of their own (the receipts
 * coalescer, the read batcher, the rate limiter) are built from these here
 * and receive them as arguments — so a test can build them from fakes.
 */
export function createAppContext(base: Base): AppContext {
  const windowMs = base.config.RECEIPT_FLUSH_MS;
  const receiptUpdates = new ReceiptUpdateCoalescer({
    now: base.now,
    windowMs,
    takeLease: (channelId, windowMs) => takeFlushLease({ db: base.db(), channelId, windowMs, at: new Date(base.now()) }),
    send: sendCountUpdates({ db: base.db, emit: base.emitToUsers }),
  });
  const reads = new ReadBatcher({
    write: (reads) => advanceCursors({ db: base.db(), reads, at: new Date(base.now()) }),
    // announceRead finds the coalescer installed below.
    announce: (move) => announceRead({ receiptUpdates, emitToUsers: base.emitToUsers }, move),
  });
  return { ...base, receiptUpdates, reads, limiter: new RateLimiter(base.now) };
}

/** The production parts: the request pool, Socket.IO, the one clock, the parsed environment. */
export function productionContext(cfg: Config = config()): AppContext {
  return createAppContext({ config: cfg, now, db, emitToUsers, io: getIo });
}

/**
 * Installs the context where every module copy finds it (Next gives route
 * handlers their own copies of lib/, see lib/util/singleton.ts): the context
 * itself for the one accessor (installedContext), and the coalescer and the
 * rate limiter for the callers not converted yet (lib/auth,
 * lib/chat/messages.ts, lib/shared/announce-*.ts), so both reach the same objects.
 */
export function installAppContext(ctx: AppContext): AppContext {
  installReceiptUpdateCoalescer(ctx.receiptUpdates);
  installRateLimiter(ctx.limiter);
  installContext(ctx);
  return ctx;
}
