import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { migrationStatus } from "@/lib/db/migrate";

export interface Health {
  status: "ok" | "error";
  problems?: string[];
}

/** Public and minimal: ok, or what is wrong in words. */
export async function checkHealth(): Promise<Health> {
  try {
    await db().execute(sql`select 1`);
  } catch (err) {
    return { status: "error", problems: [`database does not answer: ${(err as Error).message}`] };
  }
  const m = await migrationStatus(db());
  if (m.applied !== m.expected) {
    return { status: "error", problems: [`database schema is at migration ${m.applied}, this code expects ${m.expected}: restart to migrate`] };
  }
  return { status: "ok" };
}
