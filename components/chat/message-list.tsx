"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Fragment, useEffect, useLayoutEffect, useRef, useState } from "react";
import { api, call } from "@/lib/client/api";
import { type MessagePage, queryKeys, upsertMessages } from "@/lib/client/message-cache";
import { useMarkRead } from "@/lib/client/use-mark-read";
import type { ChatSocket } from "@/lib/client/use-realtime";
import type { WireChannel } from "@/lib/contracts/chat";
import { MessageItem } from "./message-item";
import { previewText } from "./preview-text";
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
      const older = await call(
        api.channels[":channel_id"].messages.$get({
          param: { channel_id: channelId },
          query: { before_seq: first.message_seq, limit: 50 },
        }),
      );
      restore.current = (scroller.current?.scrollHeight ?? 0) - (scroller.current?.scrollTop ?? 0);
      client.setQueryData<MessagePage>(queryKeys.messages(channelId), (p) =>
        p ? { ...upsertMessages(p, older.messages), more: older.more } : p,
      );
    } catch (err) {
      setOlderError((err as Error).message);
    } finally {
      setLoadingOlder(false);
    }
  };

  const firstUnread = page.messages.find((m) => !m.pending && m.message_seq > readMark && m.from_uid !== me.uid);
  const divider = useRef<HTMLLIElement>(null);
  const opened = useRef(false);
  const newest = page.messages.at(-1);
  const [unseenBelow, setUnseenBelow] = useState(0);
  const lastNewest = useRef(newest?.message_id);

  // Keep the view anchored: on opening at the first unread message (or the
  // bottom), after older messages load, and at the bottom for new ones.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (!opened.current) {
      opened.current = true;
      if (divider.current) {
        el.scrollTop = divider.current.offsetTop - el.offsetTop;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        return;
      }
    }
    if (restore.current !== null) {
      el.scrollTop = el.scrollHeight - restore.current;
      restore.current = null;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  });

  // Scrolled up when someone else's message arrives: count it for the "new messages" button.
  useEffect(() => {
    if (!newest || newest.message_id === lastNewest.current) return;
    lastNewest.current = newest.message_id;
    if (!stickToBottom.current && newest.from_uid !== me.uid) setUnseenBelow((n) => n + 1);
  }, [newest, me.uid]);

  const toBottom = () => {
    const el = scroller.current;
    if (el) el.scrollTo({ top: el.scrollHeight });
    stickToBottom.current = true;
    setUnseenBelow(0);
  };

  useEffect(() => {
    const el = topSentinel.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => entries[0]?.isIntersecting && void loadOlder(), { root: scroller.current });
    io.observe(el);
    return () => io.disconnect();
  });

  const incoming = newest && !newest.pending && newest.from_uid !== me.uid && !newest.revoked ? newest : undefined;

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      {/* Screen readers hear each new message from others as it arrives. */}
      <div aria-live="polite" className="sr-only" data-testid="live-announcer">
        {incoming ? `New message from ${names.get(incoming.from_uid) ?? incoming.from_uid}: ${previewText(incoming)}` : ""}
      </div>
      <div
        ref={scroller}
        className="min-h-0 flex-1 overflow-y-auto px-4 py-3"
        onScroll={(e) => {
          const el = e.currentTarget;
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
          if (stickToBottom.current) setUnseenBelow(0);
        }}
      >
        <div ref={topSentinel} />
        {page.more && (
          <div className="py-2 text-center text-xs text-slate-600">
            {loadingOlder ? (
              "Loading older messages…"
            ) : (
              <button type="button" className="underline" onClick={() => void loadOlder()}>
                Load older messages
              </button>
            )}
            {olderError && (
              <span role="alert" className="ml-2 text-red-600">
                {olderError}
              </span>
            )}
          </div>
        )}
        {page.messages.length === 0 && <p className="py-8 text-center text-slate-600">No messages yet — say hello.</p>}
        <ol aria-label="Conversation history">
          {page.messages.map((m, i) => {
            const prev = page.messages[i - 1];
            const newDay = !prev || dayOf(prev.timestamp) !== dayOf(m.timestamp);
            const grouped =
              !newDay &&
              m !== firstUnread &&
              prev.from_uid === m.from_uid &&
              m.timestamp - prev.timestamp < GROUP_WITHIN_S &&
              !prev.revoked &&
              !m.revoked;
            return (
              <Fragment key={m.message_id || m.client_msg_no}>
                {newDay && (
                  <li data-testid="date-separator" className="mt-4 mb-1 text-center text-xs font-medium text-slate-600">
                    {dayLabel(m.timestamp)}
                  </li>
                )}
                {m === firstUnread && (
                  <li
                    ref={divider}
                    data-testid="new-messages-divider"
                    className="mt-3 flex items-center gap-2 text-xs text-indigo-700 dark:text-indigo-300"
                  >
                    <span className="h-px flex-1 bg-indigo-200" /> New messages <span className="h-px flex-1 bg-indigo-200" />
                  </li>
                )}
                <MessageItem message={m} me={me} channel={channel} names={names} grouped={grouped} onVisible={report} />
              </Fragment>
            );
          })}
        </ol>
      </div>
      {unseenBelow > 0 && (
        <button
          type="button"
          data-testid="jump-to-new"
          onClick={toBottom}
          className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white shadow-lg"
        >
          {unseenBelow} new message{unseenBelow === 1 ? "" : "s"} ↓
        </button>
      )}
    </div>
  );
}

// Consecutive messages from one sender within five minutes share one header.
const GROUP_WITHIN_S = 5 * 60;
const dayOf = (seconds: number) => new Date(seconds * 1000).toDateString();

function dayLabel(seconds: number) {
  const d = new Date(seconds * 1000);
  const today = new Date();
  const yesterday = new Date(today.getTime() - 86_400_000);
  if (d.toDateString() === today.toDateString()) return "Today";
  if (d.toDateString() === yesterday.toDateString()) return "Yesterday";
  return d.toLocaleDateString([], { weekday: "long", year: "numeric", month: "long", day: "numeric" });
}
