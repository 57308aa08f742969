import type { MessageWithRevoke } from "@/lib/db/queries/messages";
import { pushProvider } from "@/lib/push/provider";
import { type AnnounceDeps, announceStoredMessages } from "@/lib/shared/announce-messages";
import type { IngestResult } from "./result";

/**
 * After the commit: new chat messages to their channels' sockets, the
 * senders' cursor moves, pushes. The messages are the batch's own rows as
 * stored (with any revoke record and the channel's receipts setting read in
 * the storing transaction), not read back (#22); only their counts are read.
 */
export async function announceIngested(ctx: AnnounceDeps, result: IngestResult) {
  const byChannel = new Map<string, MessageWithRevoke[]>();
  for (const r of result.newChat) byChannel.set(r.channelId, [...(byChannel.get(r.channelId) ?? []), r]);
  const channelIds = new Set([...byChannel.keys(), ...result.cursorMoves.map((m) => m.channelId)]);
  for (const channelId of channelIds) {
    await announceStoredMessages(ctx, {
      channel: { channelId, receiptsEnabled: result.receiptsEnabled.get(channelId) ?? false },
      rows: (byChannel.get(channelId) ?? []).sort((x, y) => x.messageSeq - y.messageSeq),
      senderReads: result.cursorMoves.filter((m) => m.channelId === channelId),
    });
  }
  for (const n of result.pushed) await pushProvider().push(n);
}
