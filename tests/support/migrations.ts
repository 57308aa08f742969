import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { withSql } from "./sql";

/**
 * Applies drizzle/ up to and including migration `last`, as the code of that
 * time would have: the upgrade tests fill a database made by the previous
 * schema, then start today's server on it.
 */
export async function migrateUpTo(url: string, last: number) {
  const dir = await mkdtemp(path.join(tmpdir(), "imdesk-migrations-"));
  try {
    await cp(path.join(process.cwd(), "drizzle"), dir, { recursive: true });
    const journalPath = path.join(dir, "meta", "_journal.json");
    const journal = JSON.parse(await readFile(journalPath, "utf8")) as { entries: { idx: number }[] };
    journal.entries = journal.entries.filter((e) => e.idx <= last);
    await writeFile(journalPath, JSON.stringify(journal));
    await withSql(url, (s) => migrate(drizzle(s), { migrationsFolder: dir }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
