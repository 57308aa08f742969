import { sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { pushNotifications } from "../schema";

// PostgreSQL takes at most 65,535 parameters per statement: multi-row inserts go in chunks.
const CHUNK = 1000;

export async function insertPushNotifications({ db, rows }: { db: Queryable; rows: (typeof pushNotifications.$inferInsert)[] }) {
  const inserted = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    inserted.push(
      ...(await db
        .insert(pushNotifications)
        .values(rows.slice(i, i + CHUNK))
        .onConflictDoNothing()
        .returning()),
    );
  }
  return inserted;
}

/** The retraction records: pushes of a message recalled afterwards. */
export async function retractPushes({ db, messageId }: { db: Queryable; messageId: string }) {
  return db
    .update(pushNotifications)
    .set({ retractedAt: sql`now()` })
    .where(
      sql`${pushNotifications.messageId} = ${messageId} and ${pushNotifications.decision} = 'push' and ${pushNotifications.retractedAt} is null`,
    )
    .returning();
}
