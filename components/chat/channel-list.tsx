"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { WireChannel } from "@/lib/contracts/chat";
import { CreateGroupDialog } from "./create-group-dialog";
import { DirectMessageDialog } from "./direct-message-dialog";
import { previewText } from "./preview-text";
import type { Me } from "./types";

export function ChannelList({
  channels,
  selectedId,
  onSelect,
  me,
}: {
  channels: UseQueryResult<WireChannel[]>;
  selectedId: string | null;
  onSelect: (id: string) => void;
  me: Me;
}) {
  const [dialog, setDialog] = useState<"group" | "direct" | null>(null);
  return (
    <>
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-2">
        <h2 className="mr-auto font-semibold">Conversations</h2>
        <span className="flex gap-1 whitespace-nowrap">
          <Button onClick={() => setDialog("direct")}>New message</Button>
          <Button onClick={() => setDialog("group")}>New group</Button>
        </span>
      </div>
      {channels.isPending && <p className="p-3 text-sm text-slate-600">Loading conversations…</p>}
      {channels.isError && (
        <div role="alert" className="p-3 text-sm text-red-600">
          Could not load conversations.{" "}
          <button type="button" className="underline" onClick={() => channels.refetch()}>
            Retry
          </button>
        </div>
      )}
      {channels.data?.length === 0 && (
        <p className="p-3 text-sm text-slate-600">No conversations yet. Start a direct message or create a group.</p>
      )}
      <ul className="min-h-0 flex-1 overflow-y-auto" aria-label="Conversations">
        {channels.data?.map((c) => (
          <li key={c.channel_id}>
            <button
              type="button"
              data-testid="channel"
              data-channel-id={c.channel_id}
              aria-current={c.channel_id === selectedId ? "true" : undefined}
              onClick={() => onSelect(c.channel_id)}
              className={`flex w-full items-center gap-2 px-3 py-2 text-left hover:bg-slate-50 focus-visible:bg-slate-100 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 ${
                c.channel_id === selectedId ? "bg-indigo-50" : ""
              }`}
            >
              <span className="min-w-0 flex-1">
                <span className="block truncate font-medium">{c.name}</span>
                <span className="block truncate text-xs text-slate-600">
                  {c.last_message ? previewText(c.last_message) : "No messages yet"}
                </span>
              </span>
              {c.unread_count > 0 && (
                <span data-testid="unread-badge" className="rounded-full bg-indigo-600 px-2 py-0.5 text-xs font-semibold text-white">
                  {c.unread_count > 99 ? "99+" : c.unread_count}
                  <span className="sr-only"> unread</span>
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {dialog === "group" && <CreateGroupDialog me={me} onClose={() => setDialog(null)} onCreated={onSelect} />}
      {dialog === "direct" && <DirectMessageDialog me={me} onClose={() => setDialog(null)} onOpened={onSelect} />}
    </>
  );
}
