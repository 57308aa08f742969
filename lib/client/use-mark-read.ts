"use client";

import { useCallback, useEffect, useRef } from "react";
import { api, call } from "./api";
import type { ChatSocket } from "./use-realtime";

const DEBOUNCE_MS = 300;

/**
 * Marks messages read when they have been visible in a focused window:
 * report(seq) for every message that scrolls into view; the highest one goes to
 * the server once things settle (socket `read` with ack, HTTP if offline).
 */
export function useMarkRead(channelId: string, socket: ChatSocket | null, initialSeq: number) {
  const seen = useRef(0);
  const sent = useRef(initialSeq);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (document.visibilityState !== "visible" || !document.hasFocus()) return;
      const seq = seen.current;
      if (seq <= sent.current) return;
      sent.current = seq;
      if (socket?.connected) {
        socket.emit("read", { channel_id: channelId, message_seq: seq }, () => {});
      } else {
        void call(api.channels[":channel_id"].read.$post({ param: { channel_id: channelId }, json: { message_seq: seq } })).catch(() => {
          sent.current = Math.min(sent.current, seq - 1);
        });
      }
    }, DEBOUNCE_MS);
  }, [channelId, socket]);

  useEffect(() => {
    window.addEventListener("focus", flush);
    document.addEventListener("visibilitychange", flush);
    return () => {
      window.removeEventListener("focus", flush);
      document.removeEventListener("visibilitychange", flush);
      clearTimeout(timer.current);
    };
  }, [flush]);

  return useCallback(
    (seq: number) => {
      if (seq > seen.current) {
        seen.current = seq;
        flush();
      }
    },
    [flush],
  );
}
