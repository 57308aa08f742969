import type { Queryable } from "@/lib/db/client";
import { enqueueOutbox, queueCmdBindingBackfill } from "@/lib/db/queries/outbox";
import { wukongim } from "@/lib/wukongim/gateway";
import { outboxEntry } from "./topics";

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
export async function backfillCmdBindings({ db }: { db: Queryable }): Promise<number> {
  const im = wukongim();
  if (!im || (await im.line()) !== "main") return 0;
  return queueCmdBindingBackfill(db);
}
