import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { config } from "@/lib/config";
import { peekSingleton, setSingleton } from "@/lib/util/singleton";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };

interface DbCache {
  url: string;
  db: Database;
}

const KEY = "db";

/** The one pool of the process, shared by server.ts and every route handler (see singleton). */
export function db(): Database {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the server has not started its database yet");
  const cached = peekSingleton<DbCache>(KEY);
  if (cached?.url === url) return cached.db;
  const cfg = config();
  const client = postgres(url, {
    max: cfg.DB_POOL_MAX,
    onnotice: () => {},
    // Request work never waits forever: a held row lock or a runaway query
    // fails the request (503) and gives its connection back to the pool.
    connection: { lock_timeout: cfg.DB_LOCK_TIMEOUT_MS, statement_timeout: cfg.DB_STATEMENT_TIMEOUT_MS, idle_in_transaction_session_timeout: 60_000 },
  });
  const fresh = { url, db: drizzle(client, { schema, casing: "snake_case" }) as Database };
  setSingleton(KEY, fresh);
  return fresh.db;
}

const HEALTH_KEY = "db-health";

/**
 * A separate one-connection pool for health checks, so they answer (503)
 * even when the request pool is exhausted by requests waiting on a lock.
 */
export function healthDb(): Database {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the server has not started its database yet");
  const cached = peekSingleton<DbCache>(HEALTH_KEY);
  if (cached?.url === url) return cached.db;
  const client = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {}, connection: { statement_timeout: 2000, lock_timeout: 1000 } });
  const fresh = { url, db: drizzle(client, { schema, casing: "snake_case" }) as Database };
  setSingleton(HEALTH_KEY, fresh);
  return fresh.db;
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
