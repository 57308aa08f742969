import type { MessageWithRevoke } from "@/lib/db/queries/messages";
import { countReceipts } from "@/lib/db/queries/receipts";
import type { Deps } from "./context";

export type Counts = { read_count: number; unread_count: number };

/**
 * Exact counts for the messages of one page, in one query. Revoked messages
 * get none; with onlyFromUid, only that sender's messages are counted (the
 * counts docs/api.md promises are on the caller's own messages).
 */
export async function countsFor(
  ctx: Deps<"db">,
  {
    channelId,
    rows,
    onlyFromUid,
  }: {
    channelId: string;
    rows: MessageWithRevoke[];
    onlyFromUid?: string;
  },
): Promise<Map<number, Counts>> {
  const items = rows
    .filter((r) => r.revokedBy === null && (onlyFromUid === undefined || r.fromUid === onlyFromUid))
    .map((r) => ({ seq: r.messageSeq, fromUid: r.fromUid }));
  const counted = await countReceipts({ db: ctx.db(), channelId, items });
  return new Map(counted.map((c) => [c.messageSeq, { read_count: c.readCount, unread_count: c.unreadCount }]));
}
