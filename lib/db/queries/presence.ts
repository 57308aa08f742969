import { sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { presence } from "../schema";

// PostgreSQL takes at most 65,535 parameters per statement: multi-row inserts go in chunks.
const CHUNK = 1000;

export async function upsertPresence({ db, rows }: { db: Queryable; rows: (typeof presence.$inferInsert)[] }) {
  for (let i = 0; i < rows.length; i += CHUNK) await upsertPresenceChunk(db, rows.slice(i, i + CHUNK));
}

async function upsertPresenceChunk(db: Queryable, rows: (typeof presence.$inferInsert)[]) {
  await db
    .insert(presence)
    .values(rows)
    .onConflictDoUpdate({
      target: [presence.uid, presence.deviceFlag],
      set: {
        online: sql`excluded.online`,
        connId: sql`excluded.conn_id`,
        deviceOnlineCount: sql`excluded.device_online_count`,
        totalOnlineCount: sql`excluded.total_online_count`,
        updatedAt: sql`now()`,
      },
    });
}
