"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { WireMessage } from "@/lib/chat/wire";
import { api } from "@/lib/client/api";
import { type ChatMessage, type MessagePage, queryKeys, upsertMessages } from "@/lib/client/message-cache";
import type { Me } from "./types";

/** Sends with the message shown at once (pending) and retried with the same client_msg_no, so a retry never duplicates. */
export function useSend(channelId: string, me: Me) {
  const client = useQueryClient();
  const key = queryKeys.messages(channelId);
  const put = (m: ChatMessage) => client.setQueryData<MessagePage>(key, (p) => (p ? upsertMessages(p, [m]) : p));

  return async function send(content: string, clientMsgNo = crypto.randomUUID().replaceAll("-", "")) {
    const draft: ChatMessage = {
      message_id: "",
      client_msg_no: clientMsgNo,
      message_seq: Number.MAX_SAFE_INTEGER,
      channel_id: channelId,
      channel_type: 2,
      from_uid: me.uid,
      timestamp: Math.floor(Date.now() / 1000),
      payload: { type: 1, content },
      revoked: false,
      revoked_by: null,
      revoked_at: null,
      pending: true,
    };
    put(draft);
    try {
      const { message } = await api<{ message: WireMessage }>(`/api/channels/${encodeURIComponent(channelId)}/messages`, {
        body: { client_msg_no: clientMsgNo, payload: { type: 1, content } },
      });
      put(message);
      void client.invalidateQueries({ queryKey: queryKeys.channels });
    } catch {
      put({ ...draft, failed: true });
    }
  };
}

export function Composer({ channelId, me }: { channelId: string; me: Me }) {
  const [text, setText] = useState("");
  const send = useSend(channelId, me);
  const submit = () => {
    const content = text.trim();
    if (!content) return;
    setText("");
    void send(content);
  };
  return (
    <form
      className="flex items-end gap-2 border-t border-slate-200 bg-white p-3"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor="composer" className="sr-only">
        Message
      </label>
      <textarea
        id="composer"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Enter sends; Shift+Enter (and IME composition) keeps typing.
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
        rows={1}
        maxLength={8000}
        placeholder="Write a message…"
        className="max-h-40 min-h-10 flex-1 resize-y rounded-lg border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none"
      />
      <button
        type="submit"
        disabled={text.trim() === ""}
        className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
      >
        Send
      </button>
    </form>
  );
}
