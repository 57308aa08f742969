import type { AnnounceDeps } from "@/lib/shared/announce-messages";
import { announceIngested } from "./announce-ingested";
import { ingestNotify } from "./notify";

/** Messages fetched from WuKongIM's API (MessageResp shape) enter history exactly as msg.notify would bring them. */
export async function storeFetchedMessages(ctx: AnnounceDeps, items: unknown[]) {
  if (items.length === 0) return;
  const result = await ctx.db().transaction((tx) => ingestNotify(tx, items));
  await announceIngested(ctx, result);
}
