import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
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
  const client = postgres(url, { max: Number(process.env.DB_POOL_MAX ?? 20), onnotice: () => {} });
  const fresh = { url, db: drizzle(client, { schema, casing: "snake_case" }) as Database };
  setSingleton(KEY, fresh);
  return fresh.db;
}

export async function closeDb() {
  const cached = peekSingleton<DbCache>(KEY);
  setSingleton(KEY, undefined);
  await cached?.db.$client.end({ timeout: 5 });
}

export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the pool or an open transaction: query functions accept both. */
export type Queryable = Database | Tx;
