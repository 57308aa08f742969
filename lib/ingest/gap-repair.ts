import { sql } from "drizzle-orm";
import type { AnnounceDeps } from "@/lib/shared/announce-messages";
import { wukongim, wukongimChannelId } from "@/lib/wukongim/gateway";
import { storeFetchedMessages } from "./fetched";

const PAGE = 100;
// A channel's repair reads at most this many pages a round; the rest waits for the next round.
const MAX_PAGES = 10;
// Holes are looked for among a channel's latest seqs only (older ones were repaired when they were recent).
const WINDOW = 1000;
const FIRST_AFTER_MS = 2_000;

/**
 * Messages WuKongIM stored whose msg.notify never reached imdesk (imdesk was down and
 * main dropped them after three tries; v2 after its retries): per channel, from the
 * first hole in the stored seqs (WuKongIM numbers a channel's messages 1, 2, 3…; CMDs
 * live in a channel of their own) or the next seq, WuKongIM's `/channel/messagesync`
 * is asked, as a current member, and what it answers goes through the same idempotent
 * path as msg.notify (what is already stored is skipped). A seq imdesk rejected stays a
 * hole and is asked for again each round (one page).
 */
export async function repairGaps(ctx: AnnounceDeps): Promise<{ channels: number; fetched: number }> {
  const im = wukongim();
  if (!im) return { channels: 0, fetched: 0 };
  const rows = await ctx.db().execute<{ channelId: string; channelType: number; loginUid: string; start: string | number }>(sql`
    select c.channel_id, c.channel_type, mem.uid as login_uid,
           coalesce((select min(x.message_seq) + 1 from messages x
                      where x.channel_id = c.channel_id and x.message_seq > c.last_message_seq - ${WINDOW}
                        and not exists (select 1 from messages y where y.channel_id = x.channel_id and y.message_seq = x.message_seq + 1)),
                    c.last_message_seq + 1) as start
      from channels c
      join lateral (select m.uid from channel_members m where m.channel_id = c.channel_id and m.left_seq is null
                     order by m.joined_at, m.uid limit 1) mem on true`);
  let fetched = 0;
  let channels = 0;
  for (const row of rows) {
    let start = Number(row.start);
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const { messages, more } = await im.channelMessages({
          login_uid: row.loginUid,
          channel_id: wukongimChannelId(row.channelId, row.channelType, row.loginUid),
          channel_type: row.channelType,
          start_message_seq: start,
          limit: PAGE,
        });
        if (messages.length === 0) break;
        await storeFetchedMessages(ctx, messages);
        fetched += messages.length;
        const last = Math.max(...messages.map((m) => Number(String((m as { message_seq?: unknown }).message_seq ?? 0))));
        if (!more || !(last >= start)) break;
        start = last + 1;
      }
      channels++;
    } catch (err) {
      // One channel WuKongIM will not answer for (its member unknown there, WuKongIM away) does not stop the others.
      console.warn(`[imdesk] gap repair of ${row.channelId}: ${(err as Error).message}`);
    }
  }
  return { channels, fetched };
}

/** Repairs shortly after start-up (what was missed while imdesk was down), then every WUKONGIM_GAP_REPAIR_SECONDS. Returns the stop. */
export function startGapRepair(ctx: AnnounceDeps): () => void {
  const every = ctx.config.WUKONGIM_GAP_REPAIR_SECONDS;
  if (!wukongim() || every === 0) return () => {};
  let busy = false;
  // One round at a time: a slow WuKongIM never stacks rounds up.
  const round = () => {
    if (busy) return;
    busy = true;
    void repairGaps(ctx)
      .catch((err) => console.error("[imdesk] gap repair failed", err))
      .finally(() => {
        busy = false;
      });
  };
  const first = setTimeout(round, FIRST_AFTER_MS);
  const timer = setInterval(round, every * 1000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
