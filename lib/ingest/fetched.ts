import { db } from "@/lib/db/client";
import { announceIngested } from "./announce-ingested";
import { ingestNotify } from "./notify";

/** Messages fetched from WuKongIM's API (MessageResp shape) enter history exactly as msg.notify would bring them. */
export async function storeFetchedMessages(items: unknown[]) {
  if (items.length === 0) return;
  const result = await db().transaction((tx) => ingestNotify(tx, items));
  await announceIngested(result);
}
