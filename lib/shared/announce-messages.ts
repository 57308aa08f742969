import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { getMergedMessagesByIds, type MessageWithRevoke } from "@/lib/db/queries/messages";
import type { IngestResult } from "@/lib/ingest/result";
import { pushProvider } from "@/lib/push/provider";
import { emitToChannel } from "@/lib/realtime/io";
import { announceRead } from "@/lib/shared/announce-read";
import { countsFor } from "@/lib/shared/receipt-counts";
import { toWireMessage } from "@/lib/shared/to-wire";

/** After the commit: new chat messages to their channels' sockets, the senders' cursor moves, pushes. */
export async function announceIngested(result: IngestResult) {
  const window = config().REVOKE_WINDOW_SECONDS;
  const rows = await getMergedMessagesByIds({ db: db(), messageIds: result.newChat.map((m) => m.messageId) });
  const byChannel = new Map<string, MessageWithRevoke[]>();
  for (const r of rows) byChannel.set(r.channelId, [...(byChannel.get(r.channelId) ?? []), r]);
  for (const [channelId, list] of byChannel) {
    const counts = await countsFor({ channelId, rows: list });
    for (const row of list) {
      emitToChannel(channelId, "message:new", toWireMessage(row, { revokeWindowSeconds: window, counts: counts.get(row.messageSeq) }));
    }
  }
  for (const move of result.cursorMoves) announceRead(move, { countsChanged: true });
  for (const n of result.pushed) await pushProvider().push(n);
}
