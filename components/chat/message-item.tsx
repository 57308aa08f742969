"use client";

import { useEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/client/message-cache";
import { useIsBefore, useSecondsLeft } from "@/lib/client/use-deadline";
import { nowDate } from "@/lib/clock";
import type { WireChannel } from "@/lib/contracts/chat";
import { recallRight } from "@/lib/shared/recall-rules";
import { Linkified } from "./linkify";
import { RecallDialog } from "./recall-dialog";
import { ReceiptsDialog } from "./receipts-dialog";
import type { Me } from "./types";
import { useMembers } from "./use-members";
import { useSend } from "./use-send";

const time = (seconds: number) => new Date(seconds * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
const mmss = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;

/**
 * Whether the viewer may recall a message, and until when. History pages carry
 * the server's answer (`can_recall`, `recall_until`); a message that arrived
 * live is judged by the same rule function the server runs (lib/shared/recall-rules.ts).
 */
function useRecall(m: ChatMessage, me: Me, channel: WireChannel) {
  const members = useMembers(channel.channel_id);
  const own = m.from_uid === me.uid;
  let right: { can_recall: boolean; recall_until?: string };
  if (m.can_recall !== undefined) right = { can_recall: m.can_recall, recall_until: m.recall_until };
  else {
    // One copy of a live message goes to the whole channel, so it carries no viewer's right: judge it
    // with the revoke's own rule. The sender's role matters only to a channel admin; until the members
    // are loaded, assume the strictest (an owner's message), never offering what the server would refuse.
    const sender = members.data ? members.data.members.find((x) => x.uid === m.from_uid) : { role: "owner" as const };
    right = recallRight({
      actorUid: me.uid,
      actorSystemRole: me.role,
      actorChannelRole: channel.role ?? undefined,
      senderUid: m.from_uid,
      senderChannelRole: sender?.role,
      sentAt: new Date(m.timestamp * 1000),
      now: nowDate(),
      windowSeconds: own && m.revocable_until ? Date.parse(m.revocable_until) / 1000 - m.timestamp : 0,
    });
  }
  const inWindow = useIsBefore(right.recall_until);
  const allowed = right.can_recall && (!right.recall_until || inWindow);
  const live = !m.pending && !m.revoked;
  return { canRecall: live && allowed, windowClosed: live && own && !allowed, until: allowed ? right.recall_until : undefined };
}

/** Reports the message's seq once at least half of it is on screen: reads need visibility. */
function useReportWhenVisible(ref: React.RefObject<HTMLElement | null>, seq: number, enabled: boolean, onVisible: (seq: number) => void) {
  useEffect(() => {
    const el = ref.current;
    if (!el || !enabled) return;
    const io = new IntersectionObserver((entries) => entries[0]?.isIntersecting && onVisible(seq), { threshold: 0.5 });
    io.observe(el);
    return () => io.disconnect();
  }, [ref, enabled, seq, onVisible]);
}

/**
 * One message. Its hooks (docs/api.md § UI automation hooks) are contract:
 * `data-message-id` (decimal string) once confirmed, `data-from-uid`,
 * `data-revoked`, `data-pending`; the receipt button's numeric
 * `data-read-count`/`data-unread-count`; the action named "Recall" (its confirm: "Confirm recall").
 */
export function MessageItem({
  message: m,
  me,
  channel,
  names,
  grouped,
  onVisible,
}: {
  message: ChatMessage;
  me: Me;
  channel: WireChannel;
  names: Map<string, string>;
  /** Follows a message from the same sender shortly before: no repeated name and time. */
  grouped: boolean;
  onVisible: (seq: number) => void;
}) {
  const ref = useRef<HTMLLIElement>(null);
  const own = m.from_uid === me.uid;
  const confirmed = !m.pending;
  useReportWhenVisible(ref, m.message_seq, confirmed, onVisible);

  const sender = m.from_uid === "" ? "System" : (names.get(m.from_uid) ?? m.from_uid);
  return (
    <li
      ref={ref}
      data-testid="message"
      data-message-id={confirmed ? m.message_id : undefined}
      data-seq={confirmed ? m.message_seq : undefined}
      data-from-uid={m.from_uid}
      data-pending={m.pending ? "true" : undefined}
      data-revoked={m.revoked ? "true" : undefined}
      className={`group flex flex-col ${own ? "items-end" : "items-start"} ${grouped ? "mt-0.5" : "mt-3"}`}
    >
      <div className={grouped ? "sr-only" : "text-xs text-slate-600"}>
        {own ? "You" : sender} · <time dateTime={new Date(m.timestamp * 1000).toISOString()}>{time(m.timestamp)}</time>
      </div>
      <MessageBody message={m} me={me} names={names} />
      <MessageFooter message={m} me={me} channel={channel} />
    </li>
  );
}

function MessageBody({ message: m, me, names }: { message: ChatMessage; me: Me; names: Map<string, string> }) {
  if (m.revoked) {
    return (
      <p className="rounded-xl bg-slate-100 px-3 py-2 text-sm text-slate-700 italic">
        {m.revoked_by === me.uid ? "You" : (names.get(m.revoked_by ?? "") ?? m.revoked_by)} recalled a message
      </p>
    );
  }
  const own = m.from_uid === me.uid;
  return (
    <p
      className={`max-w-[min(36rem,85%)] rounded-xl px-3 py-2 break-words whitespace-pre-wrap ${
        own ? "bg-indigo-600 text-white" : "bg-surface ring-1 ring-slate-200"
      } ${m.pending ? "opacity-80" : ""}`}
    >
      {m.payload?.type === 1 ? <Linkified text={String(m.payload.content ?? "")} /> : `[message type ${m.payload?.type ?? "?"}]`}
    </p>
  );
}

/** Sending state, the receipt count, and the recall action, with the dialogs they open. */
function MessageFooter({ message: m, me, channel }: { message: ChatMessage; me: Me; channel: WireChannel }) {
  const [dialog, setDialog] = useState<"recall" | "receipts" | null>(null);
  const recall = useRecall(m, me, channel);
  const secondsLeft = useSecondsLeft(recall.until);
  const retry = useSend(m.channel_id, me);
  const own = m.from_uid === me.uid;
  return (
    <div className="flex items-center gap-2 text-xs text-slate-600">
      {m.pending && !m.failed && <span>Sending…</span>}
      {m.failed && (
        <>
          <span role="alert" className="text-red-600">
            Not sent.
          </span>
          <button type="button" className="min-h-6 underline" onClick={() => void retry(String(m.payload?.content ?? ""), m.client_msg_no)}>
            Retry
          </button>
        </>
      )}
      {own && !m.pending && !m.revoked && channel.receipts && m.read_count !== undefined && (
        <button
          type="button"
          data-testid="receipt-count"
          data-read-count={m.read_count}
          data-unread-count={m.unread_count ?? 0}
          onClick={() => setDialog("receipts")}
          className="min-h-6 hover:text-indigo-700 dark:hover:text-indigo-300 hover:underline"
        >
          Read by {m.read_count}
          {m.unread_count ? ` · ${m.unread_count} unread` : ""}
        </button>
      )}
      {recall.canRecall && (
        <button
          type="button"
          aria-label="Recall"
          title={recall.until ? `You can recall this for ${mmss(secondsLeft)} more` : "Recall this message"}
          onClick={() => setDialog("recall")}
          className="min-h-6 rounded px-1 text-slate-700 hover:text-red-600 focus:text-red-600"
        >
          Recall{recall.until && secondsLeft > 0 ? ` · ${mmss(secondsLeft)}` : ""}
        </button>
      )}
      {recall.windowClosed && (
        <span data-testid="recall-closed" className="text-slate-600" title="Messages can be recalled only for a short time after sending">
          Recall window passed
        </span>
      )}
      {dialog === "recall" && <RecallDialog message={m} onClose={() => setDialog(null)} />}
      {dialog === "receipts" && <ReceiptsDialog message={m} onClose={() => setDialog(null)} />}
    </div>
  );
}
