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
  const client = postgres(url, {
    onnotice: () => {},
    types: INT8_AS_NUMBER,
    transform: { column: { from: postgres.toCamel } },
    // postgres.js waits up to 20 s (growing 3^n) before reconnecting after failures, and queued
    // queries wait with it: during an outage requests would hang instead of answering 503, and
    // after it the app would take that long to notice the database is back. Reconnect within 0.5 s.
    backoff: (retries: number) => Math.min(0.05 * retries, 0.5),
    ...options(),
  });
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
      connection: {
        lock_timeout: cfg.DB_LOCK_TIMEOUT_MS,
        statement_timeout: cfg.DB_STATEMENT_TIMEOUT_MS,
        idle_in_transaction_session_timeout: 60_000,
      },
      // A database that does not answer fails the request (503) in seconds, not the default 30.
      connect_timeout: 5,
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

/**
 * Failures that say "the database cannot do this now", not "this request is
 * wrong": a row lock or statement past its timeout, no connection slot, and
 * the database being down, restarting or unreachable (SQLSTATE classes 08
 * and 57P, postgres.js's connection codes, the socket's errno). Requests
 * answer these with 503 `unavailable`; the pool reconnects by itself.
 */
const UNAVAILABLE_CODES = new Set([
  "55P03",
  "57014",
  "53300",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const pending = [err];
  while (pending.length && seen.size < 20) {
    const e = pending.pop();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    if (UNAVAILABLE_CODES.has(String((e as { code?: unknown }).code))) return true;
    // Drizzle wraps the driver's error as `cause`; a refused connect to several addresses is an AggregateError.
    pending.push((e as { cause?: unknown }).cause, ...((e as { errors?: unknown[] }).errors ?? []));
  }
  return false;
}
