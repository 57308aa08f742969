import { sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { webhookEvents } from "../schema";

export async function insertWebhookEvent({ db, event }: { db: Queryable; event: typeof webhookEvents.$inferInsert }) {
  const [row] = await db.insert(webhookEvents).values(event).returning();
  return row;
}

export async function getWebhookEvent({ db, id }: { db: Queryable; id: number }) {
  const rows = await db.select().from(webhookEvents).where(sql`${webhookEvents.id} = ${id}`).limit(1);
  return rows[0];
}

/** The logged deliveries whose body mentions a message id (a scan of the log: run only at erasure). */
export async function listWebhookBodiesMentioning({ db, messageId }: { db: Queryable; messageId: string }) {
  return db.execute<{ id: number; body: string }>(
    sql`select id, body from webhook_events where strpos(body, ${messageId}) > 0 order by id`,
  );
}

export async function setWebhookEventBody({ db, id, body }: { db: Queryable; id: number; body: string }) {
  await db.execute(sql`update webhook_events set body = ${body} where id = ${id}`);
}
