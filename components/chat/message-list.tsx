"use client";

import { Fragment, useRef } from "react";
import type { ChatMessage, MessagePage } from "@/lib/client/message-cache";
import { useMarkRead } from "@/lib/client/use-mark-read";
import type { ChatSocket } from "@/lib/client/use-realtime";
import type { WireChannel } from "@/lib/contracts/chat";
import { MessageItem } from "./message-item";
import { previewText } from "./preview-text";
import type { Me } from "./types";
import { useOlderMessages } from "./use-older-messages";
import { useScrollAnchor } from "./use-scroll-anchor";

/**
 * A conversation's history: pages back on scrolling up (useOlderMessages),
 * keeps its place (useScrollAnchor), marks the first unread message with a
 * divider, and announces others' new messages to screen readers.
 */
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
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const divider = useRef<HTMLLIElement>(null);
  const report = useMarkRead(channel.channel_id, socket, channel.last_read_seq);
  const older = useOlderMessages({ channelId: channel.channel_id, page, scroller, sentinel: topSentinel });
  const newest = page.messages.at(-1);
  const anchor = useScrollAnchor({ scroller, divider, restore: older.restore, newest, myUid: me.uid });
  const firstUnread = page.messages.find((m) => !m.pending && m.message_seq > readMark && m.from_uid !== me.uid);

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      <LiveAnnouncer newest={newest} me={me} names={names} />
      <div ref={scroller} className="min-h-0 flex-1 overflow-y-auto px-4 py-3" onScroll={(e) => anchor.onScroll(e.currentTarget)}>
        <div ref={topSentinel} />
        {page.more && <OlderMessagesControl loading={older.loading} error={older.error} onLoad={() => void older.loadOlder()} />}
        {page.messages.length === 0 && <p className="py-8 text-center text-slate-600">No messages yet — say hello.</p>}
        <ol aria-label="Conversation history">
          {page.messages.map((m, i) => {
            const prev = page.messages[i - 1];
            const newDay = !prev || dayOf(prev.timestamp) !== dayOf(m.timestamp);
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
                <MessageItem
                  message={m}
                  me={me}
                  channel={channel}
                  names={names}
                  grouped={!newDay && m !== firstUnread && sharesHeader(prev, m)}
                  onVisible={report}
                />
              </Fragment>
            );
          })}
        </ol>
      </div>
      {anchor.unseenBelow > 0 && (
        <button
          type="button"
          data-testid="jump-to-new"
          onClick={anchor.toBottom}
          className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white shadow-lg"
        >
          {anchor.unseenBelow} new message{anchor.unseenBelow === 1 ? "" : "s"} ↓
        </button>
      )}
    </div>
  );
}

/** Screen readers hear each new message from others as it arrives. */
function LiveAnnouncer({ newest, me, names }: { newest: ChatMessage | undefined; me: Me; names: Map<string, string> }) {
  const incoming = newest && !newest.pending && newest.from_uid !== me.uid && !newest.revoked ? newest : undefined;
  return (
    <div aria-live="polite" className="sr-only" data-testid="live-announcer">
      {incoming ? `New message from ${names.get(incoming.from_uid) ?? incoming.from_uid}: ${previewText(incoming)}` : ""}
    </div>
  );
}

function OlderMessagesControl({ loading, error, onLoad }: { loading: boolean; error: string | null; onLoad: () => void }) {
  return (
    <div className="py-2 text-center text-xs text-slate-600">
      {loading ? (
        "Loading older messages…"
      ) : (
        <button type="button" className="underline" onClick={onLoad}>
          Load older messages
        </button>
      )}
      {error && (
        <span role="alert" className="ml-2 text-red-600">
          {error}
        </span>
      )}
    </div>
  );
}

/** Same sender, shortly after, neither recalled: one header for both. */
const sharesHeader = (prev: ChatMessage, m: ChatMessage) =>
  prev.from_uid === m.from_uid && m.timestamp - prev.timestamp < GROUP_WITHIN_S && !prev.revoked && !m.revoked;

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
