"use client";

import { useState } from "react";
import { MESSAGE_MAX_CHARS } from "@/lib/contracts/enums";
import type { Me } from "./types";
import { useSend } from "./use-send";

// The server's limit for a text message (lib/chat/messages.ts payloadSchema).
const MAX_CHARS = MESSAGE_MAX_CHARS;
const SHOW_COUNTER_FROM = MAX_CHARS - 500;

export function Composer({ channelId, me }: { channelId: string; me: Me }) {
  const [text, setText] = useState("");
  const send = useSend(channelId, me);
  const over = text.length > MAX_CHARS;
  const submit = () => {
    const content = text.trim();
    if (!content || over) return;
    setText("");
    void send(content);
  };
  return (
    <form
      className="flex items-end gap-2 border-t border-slate-200 bg-surface p-3"
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
        // No maxLength: a long paste is not cut silently; the counter says how much is over.
        aria-describedby={text.length >= SHOW_COUNTER_FROM ? "composer-counter" : undefined}
        aria-invalid={over || undefined}
        placeholder="Write a message…"
        className={`max-h-40 min-h-10 flex-1 resize-y rounded-lg border bg-surface px-3 py-2 focus:border-indigo-500 focus:outline-none ${over ? "border-red-600" : "border-slate-400"}`}
      />
      {text.length >= SHOW_COUNTER_FROM && (
        <span
          id="composer-counter"
          data-testid="char-counter"
          aria-live="polite"
          className={`self-center text-xs ${over ? "font-semibold text-red-600" : "text-slate-600"}`}
        >
          {text.length.toLocaleString("en")} / {MAX_CHARS.toLocaleString("en")}
          {over ? ` — ${(text.length - MAX_CHARS).toLocaleString("en")} over` : ""}
        </span>
      )}
      <button
        type="submit"
        disabled={text.trim() === "" || over}
        className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
      >
        Send
      </button>
    </form>
  );
}
