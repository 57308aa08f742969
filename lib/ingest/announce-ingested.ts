import { db } from "@/lib/db/client";
import { getChannel } from "@/lib/db/queries/channels";
import { getMergedMessagesByIds, type MessageWithRevoke } from "@/lib/db/queries/messages";
import { pushProvider } from "@/lib/push/provider";
import { announceStoredMessages } from "@/lib/shared/announce-messages";
import type { IngestResult } from "./result";

/** After the commit: new chat messages to their channels' sockets, the senders' cursor moves, pushes. */
export async function announceIngested(result: IngestResult) {
  const rows = await getMergedMessagesByIds({ db: db(), messageIds: result.newChat.map((m) => m.messageId) });
  const byChannel = new Map<string, MessageWithRevoke[]>();
  for (const r of rows) byChannel.set(r.channelId, [...(byChannel.get(r.channelId) ?? []), r]);
  const channelIds = new Set([...byChannel.keys(), ...result.cursorMoves.map((m) => m.channelId)]);
  for (const channelId of channelIds) {
    const channel = await getChannel({ db: db(), channelId });
    await announceStoredMessages({
      channel: { channelId, receiptsEnabled: channel?.receiptsEnabled ?? false },
      rows: byChannel.get(channelId) ?? [],
      senderReads: result.cursorMoves.filter((m) => m.channelId === channelId),
    });
  }
  for (const n of result.pushed) await pushProvider().push(n);
}
