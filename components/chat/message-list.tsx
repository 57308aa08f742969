"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Fragment, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { WireChannel } from "@/lib/chat/wire";
import { api } from "@/lib/client/api";
import { type MessagePage, queryKeys, upsertMessages } from "@/lib/client/message-cache";
import { useMarkRead } from "@/lib/client/use-mark-read";
import type { ChatSocket } from "@/lib/client/use-realtime";
import { MessageItem } from "./message-item";
import type { Me } from "./types";

export function MessageList({
  channel,
  me,
  page,
  names,
  readMark,
  socket,
}: {
  channel: WireChannel;
  me: Me;
  page: MessagePage;
  names: Map<string, string>;
  readMark: number;
  socket: ChatSocket | null;
}) {
  const client = useQueryClient();
  const channelId = channel.channel_id;
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const restore = useRef<number | null>(null);
  const stickToBottom = useRef(true);
  const report = useMarkRead(channelId, socket, channel.last_read_seq);

  const loadOlder = async () => {
    const first = page.messages.find((m) => !m.pending);
    if (!page.more || loadingOlder || !first) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const older = await api<MessagePage>(`/api/channels/${encodeURIComponent(channelId)}/messages?before_seq=${first.message_seq}&limit=50`);
      restore.current = (scroller.current?.scrollHeight ?? 0) - (scroller.current?.scrollTop ?? 0);
      client.setQueryData<MessagePage>(queryKeys.messages(channelId), (p) => (p ? { ...upsertMessages(p, older.messages), more: older.more } : p));
    } catch (err) {
      setOlderError((err as Error).message);
    } finally {
      setLoadingOlder(false);
    }
  };

  // Keep the view anchored: after older messages load, and at the bottom for new ones.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (restore.current !== null) {
      el.scrollTop = el.scrollHeight - restore.current;
      restore.current = null;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  });

  useEffect(() => {
    const el = topSentinel.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => entries[0]?.isIntersecting && void loadOlder(), { root: scroller.current });
    io.observe(el);
    return () => io.disconnect();
  });

  const firstUnread = page.messages.find((m) => !m.pending && m.message_seq > readMark && m.from_uid !== me.uid);

  return (
    <div
      ref={scroller}
      className="min-h-0 flex-1 overflow-y-auto px-4 py-3"
      onScroll={(e) => {
        const el = e.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
    >
      <div ref={topSentinel} />
      {page.more && (
        <div className="py-2 text-center text-xs text-slate-500">
          {loadingOlder ? "Loading older messages…" : <button type="button" className="underline" onClick={() => void loadOlder()}>Load older messages</button>}
          {olderError && <span role="alert" className="ml-2 text-red-600">{olderError}</span>}
        </div>
      )}
      {page.messages.length === 0 && <p className="py-8 text-center text-slate-500">No messages yet — say hello.</p>}
      <ol className="space-y-2" aria-label="Conversation history">
        {page.messages.map((m) => (
          <Fragment key={m.message_id || m.client_msg_no}>
            {m === firstUnread && (
              <li data-testid="new-messages-divider" className="flex items-center gap-2 text-xs text-indigo-600">
                <span className="h-px flex-1 bg-indigo-200" /> New messages <span className="h-px flex-1 bg-indigo-200" />
              </li>
            )}
            <MessageItem message={m} me={me} channel={channel} names={names} onVisible={report} />
          </Fragment>
        ))}
      </ol>
    </div>
  );
}
