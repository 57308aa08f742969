import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";

/** Where drizzle-kit writes the migrations this code ships (applied at start-up by lib/server/migrate.ts). */
export const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");

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
