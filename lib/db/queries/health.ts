import { sql } from "drizzle-orm";
import type { Queryable } from "../client";

/** One round trip: does the database answer at all. */
export async function pingDatabase({ db }: { db: Queryable }) {
  await db.execute(sql`select 1`);
}

export async function serverVersion({ db }: { db: Queryable }) {
  const [row] = await db.execute<{ version: string }>(sql`select current_setting('server_version') as version`);
  return row?.version ?? "unknown";
}
