import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { Queryable } from "@/lib/db/client";

const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");
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

let expectedCount: number | undefined;

/** The migrations this code ships (read once: the journal does not change while the process runs). */
function expectedMigrationCount(): number {
  if (expectedCount !== undefined) return expectedCount;
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  expectedCount = journal.entries.length;
  return expectedCount;
}

/** Compares applied migrations with those this code ships. */
export async function migrationStatus(db: Queryable): Promise<{ applied: number; expected: number }> {
  const expected = expectedMigrationCount();
  try {
    const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    return { applied: rows[0]?.n ?? 0, expected };
  } catch {
    return { applied: 0, expected };
  }
}
