"use client";

import { useEffect, useRef, useState } from "react";
import type { WireChannel } from "@/lib/chat/wire";
import type { ChatMessage } from "@/lib/client/message-cache";
import { useIsBefore } from "@/lib/client/use-now-until";
import { useSend } from "./composer";
import { ReceiptsDialog } from "./receipts-dialog";
import { RecallDialog } from "./recall-dialog";
import type { Me } from "./types";

const time = (seconds: number) => new Date(seconds * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

export function MessageItem({
  message: m,
  me,
  channel,
  names,
  onVisible,
}: {
  message: ChatMessage;
  me: Me;
  channel: WireChannel;
  names: Map<string, string>;
  onVisible: (seq: number) => void;
}) {
  const ref = useRef<HTMLLIElement>(null);
  const [dialog, setDialog] = useState<"recall" | "receipts" | null>(null);
  const own = m.from_uid === me.uid;
  const confirmed = !m.pending;
  const inWindow = useIsBefore(own ? m.revocable_until : undefined);
  const privileged = me.role === "admin" || channel.role === "owner" || (channel.role === "admin" && !own);
  const canRecall = confirmed && !m.revoked && ((own && inWindow) || privileged);
  const retry = useSend(m.channel_id, me);

  useEffect(() => {
    const el = ref.current;
    if (!el || !confirmed) return;
    const io = new IntersectionObserver((entries) => entries[0]?.isIntersecting && onVisible(m.message_seq), { threshold: 0.5 });
    io.observe(el);
    return () => io.disconnect();
  }, [confirmed, m.message_seq, onVisible]);

  const sender = names.get(m.from_uid) ?? m.from_uid;
  return (
    <li
      ref={ref}
      data-testid="message"
      data-message-id={confirmed ? m.message_id : undefined}
      data-pending={m.pending ? "true" : undefined}
      data-revoked={m.revoked ? "true" : undefined}
      className={`group flex flex-col ${own ? "items-end" : "items-start"}`}
    >
      <div className="text-xs text-slate-500">
        {own ? "You" : sender} · {time(m.timestamp)}
      </div>
      {m.revoked ? (
        <p className="rounded-xl bg-slate-100 px-3 py-2 text-sm text-slate-500 italic">
          {m.revoked_by === me.uid ? "You" : (names.get(m.revoked_by ?? "") ?? m.revoked_by)} recalled a message
        </p>
      ) : (
        <p
          className={`max-w-[min(36rem,85%)] rounded-xl px-3 py-2 break-words whitespace-pre-wrap ${
            own ? "bg-indigo-600 text-white" : "bg-white ring-1 ring-slate-200"
          } ${m.pending ? "opacity-60" : ""}`}
        >
          {m.payload?.type === 1 ? String(m.payload.content ?? "") : `[message type ${m.payload?.type ?? "?"}]`}
        </p>
      )}
      <div className="flex items-center gap-2 text-xs text-slate-500">
        {m.pending && !m.failed && <span>Sending…</span>}
        {m.failed && (
          <>
            <span role="alert" className="text-red-600">
              Not sent.
            </span>
            <button type="button" className="underline" onClick={() => void retry(String(m.payload?.content ?? ""), m.client_msg_no)}>
              Retry
            </button>
          </>
        )}
        {own && confirmed && !m.revoked && channel.receipts && m.read_count !== undefined && (
          <button
            type="button"
            data-testid="receipt-count"
            onClick={() => setDialog("receipts")}
            className="hover:text-indigo-600 hover:underline"
          >
            Read by {m.read_count}
            {m.unread_count ? ` · ${m.unread_count} unread` : ""}
          </button>
        )}
        {canRecall && (
          <button
            type="button"
            onClick={() => setDialog("recall")}
            className="rounded px-1 text-slate-500 hover:text-red-600 focus:text-red-600"
          >
            Recall
          </button>
        )}
      </div>
      {dialog === "recall" && <RecallDialog message={m} onClose={() => setDialog(null)} />}
      {dialog === "receipts" && <ReceiptsDialog message={m} onClose={() => setDialog(null)} />}
    </li>
  );
}
