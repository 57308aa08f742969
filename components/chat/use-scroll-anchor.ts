"use client";

import { type RefObject, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/client/message-cache";

/** Within this many pixels of the bottom counts as "at the bottom": new messages keep the view there. */
const NEAR_BOTTOM_PX = 80;

/**
 * Keeps the view anchored: on opening at the first unread message (or the
 * bottom), after older messages load (at the same place), and at the bottom
 * for new ones while the reader is there. Counts others' messages that
 * arrive while the reader is scrolled up, for the "new messages" button.
 */
export function useScrollAnchor({
  scroller,
  divider,
  restore,
  newest,
  myUid,
}: {
  scroller: RefObject<HTMLElement | null>;
  divider: RefObject<HTMLElement | null>;
  restore: RefObject<number | null>;
  newest: ChatMessage | undefined;
  myUid: string;
}) {
  const stickToBottom = useRef(true);
  const opened = useRef(false);
  const [unseenBelow, setUnseenBelow] = useState(0);
  const lastNewest = useRef(newest?.message_id);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (!opened.current) {
      opened.current = true;
      if (divider.current) {
        el.scrollTop = divider.current.offsetTop - el.offsetTop;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
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

  useEffect(() => {
    if (!newest || newest.message_id === lastNewest.current) return;
    lastNewest.current = newest.message_id;
    if (!stickToBottom.current && newest.from_uid !== myUid) setUnseenBelow((n) => n + 1);
  }, [newest, myUid]);

  const onScroll = (el: HTMLElement) => {
    stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (stickToBottom.current) setUnseenBelow(0);
  };
  const toBottom = () => {
    scroller.current?.scrollTo({ top: scroller.current.scrollHeight });
    stickToBottom.current = true;
    setUnseenBelow(0);
  };
  return { unseenBelow, onScroll, toBottom };
}
