"use client";

import { useQueryClient } from "@tanstack/react-query";
import { type RefObject, useEffect, useRef, useState } from "react";
import { api, call } from "@/lib/client/api";
import { type MessagePage, queryKeys, upsertMessages } from "@/lib/client/message-cache";

/**
 * Paging back through history: loads the 50 messages before the oldest one
 * shown, when the top sentinel scrolls into view or on request. `restore`
 * holds the distance from the bottom before the page grew, so the scroll
 * anchor can keep the reader's place.
 */
export function useOlderMessages({
  channelId,
  page,
  scroller,
  sentinel,
}: {
  channelId: string;
  page: MessagePage;
  scroller: RefObject<HTMLElement | null>;
  sentinel: RefObject<HTMLElement | null>;
}) {
  const client = useQueryClient();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const restore = useRef<number | null>(null);

  const loadOlder = async () => {
    const first = page.messages.find((m) => !m.pending);
    if (!page.more || loading || !first) return;
    setLoading(true);
    setError(null);
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
      setError((err as Error).message);
    } finally {
      setLoading(false);
    }
  };

  // Re-observed every render so the callback sees the current page.
  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => entries[0]?.isIntersecting && void loadOlder(), { root: scroller.current });
    io.observe(el);
    return () => io.disconnect();
  });

  return { loading, error, loadOlder, restore };
}
