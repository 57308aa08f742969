import type { QueryClient } from "@tanstack/react-query";
import type { HistoryPage, MessageRevokedEvent, ReceiptCounts, ReceiptsUpdateEvent, WireMessage } from "@/lib/contracts/chat";

/** A message as the chat shows it: confirmed, or still on its way from this device. */
export type ChatMessage = WireMessage & { pending?: boolean; failed?: boolean };

/** A history page as the chat keeps it: the server's page, plus this device's pending sends. */
export interface MessagePage extends Omit<HistoryPage, "messages"> {
  messages: ChatMessage[];
}

export const queryKeys = {
  channels: ["channels"] as const,
  messages: (channelId: string) => ["messages", channelId] as const,
};

/** Inserts or replaces by message_id (or the pending copy by client_msg_no), keeping seq order. */
export function upsertMessages(page: MessagePage, incoming: ChatMessage[]): MessagePage {
  let messages = page.messages;
  for (const m of incoming) {
    const i = messages.findIndex(
      (x) => (x.message_id && x.message_id === m.message_id) || (x.pending !== undefined && x.client_msg_no === m.client_msg_no),
    );
    if (i >= 0) {
      // A confirmed message never goes back to pending; revoked stays revoked.
      const merged = messages[i].revoked && !m.revoked ? messages[i] : { ...messages[i], ...m };
      if (!m.pending) {
        delete merged.pending;
        delete merged.failed;
      }
      messages = messages.with(i, merged);
    } else {
      messages = [...messages, m];
    }
  }
  const confirmed = messages.filter((m) => !m.pending).sort((a, b) => a.message_seq - b.message_seq);
  const pending = messages.filter((m) => m.pending);
  return { ...page, messages: [...confirmed, ...pending] };
}

export function applyRevoke(page: MessagePage, e: Pick<MessageRevokedEvent, "message_id" | "revoked_by" | "revoked_at">): MessagePage {
  return {
    ...page,
    messages: page.messages.map((m) =>
      m.message_id === e.message_id
        ? { ...m, revoked: true, payload: null, revoked_by: e.revoked_by, revoked_at: e.revoked_at, revocable_until: undefined }
        : m,
    ),
  };
}

export function applyCounts(page: MessagePage, items: ReceiptCounts[]): MessagePage {
  const byId = new Map(items.map((i) => [i.message_id, i]));
  return {
    ...page,
    messages: page.messages.map((m) => {
      const c = byId.get(m.message_id);
      return c ? { ...m, read_count: c.read_count, unread_count: c.unread_count } : m;
    }),
  };
}

/** Changes the open conversation's cached page; a conversation not loaded stays unloaded (its first fetch brings it whole). */
export function patchMessages(client: QueryClient, channelId: string, fn: (page: MessagePage) => MessagePage) {
  client.setQueryData<MessagePage>(queryKeys.messages(channelId), (p) => (p ? fn(p) : p));
}

/**
 * What the live events do to this tab's caches, given the QueryClient they
 * change (the chat's own in use-realtime; a fresh one in the unit tests).
 * The channel list is refetched rather than patched: its unread counts are
 * the server's to compute.
 */
export const applyLiveEvent = {
  messageNew(client: QueryClient, m: WireMessage) {
    patchMessages(client, m.channel_id, (p) => upsertMessages(p, [m]));
    void client.invalidateQueries({ queryKey: queryKeys.channels });
  },
  messageRevoked(client: QueryClient, e: MessageRevokedEvent) {
    patchMessages(client, e.channel_id, (p) => applyRevoke(p, e));
    void client.invalidateQueries({ queryKey: queryKeys.channels });
  },
  receiptsUpdate(client: QueryClient, e: ReceiptsUpdateEvent) {
    patchMessages(client, e.channel_id, (p) => applyCounts(p, e.items));
  },
};
