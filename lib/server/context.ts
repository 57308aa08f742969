import { now } from "@/lib/clock";
import { type Config, config } from "@/lib/config";
import { type Database, db } from "@/lib/db/client";
import { advanceCursors, takeFlushLease } from "@/lib/db/queries/receipts";
import { emitToUsers } from "@/lib/realtime/io";
import { sendCountUpdates } from "@/lib/receipts/count-updates";
import { installReadBatcher, ReadBatcher } from "@/lib/receipts/read-batcher";
import { announceRead } from "@/lib/shared/announce-read";
import { installReceiptUpdateCoalescer, ReceiptUpdateCoalescer } from "@/lib/shared/update-coalescer";

/**
 * What the process's services are made of, decided in one place at boot: the
 * database handle, the realtime emitter, the clock and the configuration.
 * Services with state of their own (the receipts coalescer, the read batcher)
 * are built from these here and receive them as arguments, instead of each
 * reaching for the globals — so a test can build them from fakes.
 */
export interface AppContext {
  config: Config;
  now: () => number;
  db: () => Database;
  emitToUsers: typeof emitToUsers;
  receiptUpdates: ReceiptUpdateCoalescer;
  reads: ReadBatcher;
}

export function createAppContext(base: Pick<AppContext, "config" | "now" | "db" | "emitToUsers">): AppContext {
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
    announce: (move) => announceRead(move),
  });
  return { ...base, receiptUpdates, reads };
}

/** The production parts: the request pool, Socket.IO, the one clock, the parsed environment. */
export function productionContext(cfg: Config = config()): AppContext {
  return createAppContext({ config: cfg, now, db, emitToUsers });
}

/**
 * Installs the context's services where every module copy finds them (Next
 * gives route handlers their own copies of lib/, see lib/util/singleton.ts).
 */
export function installAppContext(ctx: AppContext): AppContext {
  installReceiptUpdateCoalescer(ctx.receiptUpdates);
  installReadBatcher(ctx.reads);
  return ctx;
}
