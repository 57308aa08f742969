import { sql } from "drizzle-orm";
import { db as defaultDb, type Queryable } from "@/lib/db/client";
import { enqueueOutbox } from "@/lib/db/queries/outbox";
import { outboxEntry } from "@/lib/outbox/topics";
import { wukongim } from "@/lib/wukongim/gateway";

/**
 * WuKongIM main keeps a CMD for an offline member only if the member's uid is bound
 * to the channel (docs/wukongim.md § main's CMD path). Membership changes call this
 * in their own transaction: one outbox entry per uid, delivered after the commit and
 * retried while WuKongIM is away (a membership change never waits for it). The entry
 * carries no "bind" or "unbind": delivery reads the membership then
 * (lib/outbox/topics.ts), so the last delivery wins with the current state.
 */
export async function enqueueCmdBindings({
  db,
  channelId,
  channelType,
  uids,
}: {
  db: Queryable;
  channelId: string;
  channelType: number;
  uids: string[];
}) {
  if (uids.length === 0 || !wukongim()) return;
  await enqueueOutbox({
    db,
    entries: uids.map((uid) => outboxEntry("wukongim:cmd_binding", channelId, { uid, channel_id: channelId, channel_type: channelType })),
  });
}

/**
 * Members who joined before imdesk bound anyone (an older imdesk, a v2 deployment
 * moving to main, the demo seed) are bound once: at start-up beside WuKongIM main,
 * if no backfill was ever queued, one entry per current member. Skipped while
 * WuKongIM does not answer (the next start tries again). Two instances starting
 * together may both queue it: binding twice is harmless.
 */
export async function backfillCmdBindings({ db = defaultDb() }: { db?: Queryable } = {}): Promise<number> {
  const im = wukongim();
  if (!im || (await im.line()) !== "main") return 0;
  const rows = await db.execute<{ n: number }>(sql`
    with queued as (
      insert into outbox (destination, topic, channel_id, payload)
      select 'wukongim', 'wukongim:cmd_binding', m.channel_id,
             jsonb_build_object('uid', m.uid, 'channel_id', m.channel_id, 'channel_type', c.channel_type, 'backfill', true)
        from channel_members m join channels c on c.channel_id = m.channel_id
       where m.left_seq is null
         and not exists (select 1 from outbox where topic = 'wukongim:cmd_binding' and payload->'backfill' is not null)
       order by m.channel_id, m.uid
      returning 1)
    select count(*)::int as n from queued`);
  return [...rows][0]?.n ?? 0;
}
