import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { MIGRATIONS_FOLDER } from "@/lib/db/queries/migrations";

// Any constant: several instances starting at once take turns migrating.
const MIGRATION_LOCK = 7_340_221;

/**
 * Applies drizzle/ under an advisory lock, on a client of its own: the
 * request pool names columns in camelCase, and drizzle's migrator reads its
 * bookkeeping rows by their snake_case names.
 */
export async function migrateDatabase(url: string) {
  // Two connections: one holds the lock, the migrator runs on the other.
  const client = postgres(url, { max: 2, onnotice: () => {} });
  try {
    await client.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    });
  } finally {
    await client.end({ timeout: 5 });
  }
}
