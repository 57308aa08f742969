import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import type { Queryable } from "../client";
import * as schema from "../schema";

/** Every table of the app's schema (never drizzle's migration journal, which lives in its own schema). */
const appTables = () => (Object.values(schema) as unknown[]).flatMap((t) => (is(t, PgTable) ? [`"${getTableName(t)}"`] : []));

/** Test mode's reset: every row of every app table gone, identities back to 1, in one statement. */
export async function truncateAllTables({ db }: { db: Queryable }) {
  await db.execute(sql.raw(`truncate ${appTables().join(", ")} restart identity cascade`));
}
