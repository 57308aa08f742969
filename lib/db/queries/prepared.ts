import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Database } from "../client";

// The same rendering db.execute uses (lib/db/client.ts: snake_case).
const dialect = new PgDialect({ casing: "snake_case" });

/**
 * A hot read as a named prepared statement (#22): postgres.js keeps one per
 * connection, keyed by the query text, so PostgreSQL parses and plans it once
 * per connection instead of on every call — drizzle's own execute sends an
 * unnamed statement each time. Rows come back as from db.execute (the
 * client's camelCase and int8 conventions). Only for the pool, never inside a
 * transaction; the text must not vary with the values (values are parameters).
 */
export async function preparedRows<T>(db: Database, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return (await db.$client.unsafe(text, params as never[], { prepare: true })) as unknown as T[];
}
