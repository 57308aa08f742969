import type { Config } from "@/lib/config";
import type { Database } from "@/lib/db/client";
import type { CursorMove } from "@/lib/db/queries/receipts";
import type { emitToUsers, IoServer } from "@/lib/realtime/io";
import type { RateLimiter } from "@/lib/security/rate-limit";
import { peekSingleton, setSingleton } from "@/lib/util/singleton";
import type { ReceiptUpdateCoalescer } from "./update-coalescer";

/**
 * What the process's services are made of, decided in one place at boot
 * (lib/server/context.ts builds it): the database handle, the realtime
 * emitter and server, the clock, the configuration, and the services with
 * state of their own. A service takes the part it uses as a parameter
 * (`Pick<AppContext, "db" | …>`) instead of reaching for a global, so a unit
 * test hands it fakes.
 *
 * The type lives here, in lib/shared, because every feature may import
 * lib/shared while none may import lib/server (tests/layers.test.ts), and
 * everything it names sits at or below lib/shared: config, db, realtime,
 * security. The read batcher (lib/receipts, a feature) is named by the shape
 * the receipts service uses, `ReadQueue`, not by its class.
 */
export interface AppContext {
  config: Config;
  now: () => number;
  db: () => Database;
  emitToUsers: typeof emitToUsers;
  /** The process's Socket.IO server, once created (undefined in scripts and before boot made it). */
  io: () => IoServer | undefined;
  limiter: RateLimiter;
  receiptUpdates: ReceiptUpdateCoalescer;
  reads: ReadQueue;
}

/** The narrow part of the context a service uses: `Deps<"db" | "now">`. */
export type Deps<K extends keyof AppContext> = Pick<AppContext, K>;

/** Reads merged into one statement (lib/receipts/read-batcher.ts): the move, or undefined for a non-member. */
export interface ReadQueue {
  read(channelId: string, uid: string, seq: number): Promise<CursorMove | undefined>;
}

const KEY = "app-context";

/** Boot installs the one context it built (lib/server/context.ts). */
export function installContext(ctx: AppContext | undefined) {
  setSingleton(KEY, ctx);
}

/**
 * THE one accessor, for code Next itself calls and so cannot be handed the
 * context: the API app as Next serves it (app/api/[[...route]]/route.ts,
 * app/api/auth/token/route.ts). Next gives those route modules their own copy
 * of lib/, so the context is found on globalThis (lib/util/singleton.ts),
 * where boot put it. Everything boot starts receives the context as an
 * argument instead; tests/injected-deps.test.ts keeps this the only reach.
 */
export function installedContext(): AppContext {
  const ctx = peekSingleton<AppContext>(KEY);
  if (!ctx) throw new Error("the app context is not built yet: boot builds it (lib/server/context.ts)");
  return ctx;
}
