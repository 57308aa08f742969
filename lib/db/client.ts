import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { config, runtime } from "@/lib/config";
import { peekSingleton, setSingleton } from "@/lib/util/singleton";
import * as schema from "./schema";

/**
 * int8 as a JS number, everywhere: every int8 column here is a seq, a count,
 * a version or a serial id, far below 2^53 (WuKongIM's int64 message ids are
 * text columns and never pass through this) — so raw rows carry numbers as
 * the Drizzle schema declares them, and no caller converts.
 */
const INT8_AS_NUMBER = { int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } };

export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };

interface DbCache {
  url: string;
  db: Database;
}

const KEY = "db";
const HEALTH_KEY = "db-health";

/** A pool per process and purpose, made once and shared by every module copy (see singleton); remade if the URL changes. */
function pool(key: string, options: () => postgres.Options<Record<string, postgres.PostgresType>>): Database {
  const url = runtime().databaseUrl;
  if (!url) throw new Error("DATABASE_URL is not set: the server has not started its database yet");
  const cached = peekSingleton<DbCache>(key);
  if (cached?.url === url) return cached.db;
  // One row convention: raw SQL rows come back camelCase (message_seq → messageSeq), as Drizzle's builder returns them.
  const client = postgres(url, { onnotice: () => {}, types: INT8_AS_NUMBER, transform: { column: { from: postgres.toCamel } }, ...options() });
  const fresh = { url, db: drizzle(client, { schema, casing: "snake_case" }) as Database };
  setSingleton(key, fresh);
  return fresh.db;
}

/** The one request pool of the process, shared by server.ts and every route handler. */
export function db(): Database {
  return pool(KEY, () => {
    const cfg = config();
    return {
      max: cfg.DB_POOL_MAX,
      // Request work never waits forever: a held row lock or a runaway query
      // fails the request (503) and gives its connection back to the pool.
      connection: { lock_timeout: cfg.DB_LOCK_TIMEOUT_MS, statement_timeout: cfg.DB_STATEMENT_TIMEOUT_MS, idle_in_transaction_session_timeout: 60_000 },
    };
  });
}

/**
 * A separate one-connection pool for health checks, so they answer (503)
 * even when the request pool is exhausted by requests waiting on a lock.
 */
export function healthDb(): Database {
  return pool(HEALTH_KEY, () => ({ max: 1, connect_timeout: 2, connection: { statement_timeout: 2000, lock_timeout: 1000 } }));
}

export async function closeDb() {
  for (const key of [KEY, HEALTH_KEY]) {
    const cached = peekSingleton<DbCache>(key);
    setSingleton(key, undefined);
    await cached?.db.$client.end({ timeout: 5 });
  }
}

export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the pool or an open transaction: query functions accept both. */
export type Queryable = Database | Tx;
