import { db } from "@/lib/db/client";
import type { MessageWithRevoke } from "@/lib/db/queries/messages";
import { countReceipts } from "@/lib/db/queries/receipts";

export type Counts = { read_count: number; unread_count: number };

/**
 * Exact counts for the messages of one page, in one query. Revoked messages
 * get none; with onlyFromUid, only that sender's messages are counted (the
 * counts docs/api.md promises are on the caller's own messages).
 */
export async function countsFor({
  channelId,
  rows,
  onlyFromUid,
}: {
  channelId: string;
  rows: MessageWithRevoke[];
  onlyFromUid?: string;
}): Promise<Map<number, Counts>> {
  const items = rows
    .filter((r) => r.revoked_by === null && (onlyFromUid === undefined || r.from_uid === onlyFromUid))
    .map((r) => ({ seq: r.message_seq, fromUid: r.from_uid }));
  const counted = await countReceipts({ db: db(), channelId, items });
  return new Map(counted.map((c) => [c.message_seq, { read_count: c.read_count, unread_count: c.unread_count }]));
}
