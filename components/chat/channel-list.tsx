"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { useId, useState } from "react";
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
          <ChannelRow key={c.channel_id} channel={c} selected={c.channel_id === selectedId} onSelect={onSelect} />
        ))}
      </ul>
      {dialog === "group" && <CreateGroupDialog me={me} onClose={() => setDialog(null)} onCreated={onSelect} />}
      {dialog === "direct" && <DirectMessageDialog me={me} onClose={() => setDialog(null)} onOpened={onSelect} />}
    </>
  );
}

/**
 * One conversation. The button holds only the conversation's name and its
 * unread badge, so that is its accessible name; the last message's preview
 * sits beside it as its description (the button's ::after still covers the
 * row for pointers). A preview such as "A message was recalled" therefore
 * never names a button that a message action's locator could match.
 */
function ChannelRow({ channel: c, selected, onSelect }: { channel: WireChannel; selected: boolean; onSelect: (id: string) => void }) {
  const previewId = useId();
  return (
    <li className={`relative px-3 py-2 hover:bg-slate-50 has-focus-visible:bg-slate-100 ${selected ? "bg-indigo-50" : ""}`}>
      <button
        type="button"
        data-testid="channel"
        data-channel-id={c.channel_id}
        data-unread-count={c.unread_count}
        aria-current={selected ? "true" : undefined}
        aria-describedby={previewId}
        onClick={() => onSelect(c.channel_id)}
        className="flex w-full items-center gap-2 text-left after:absolute after:inset-0 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
      >
        <span className="min-w-0 flex-1 truncate font-medium">{c.name}</span>
        {c.unread_count > 0 && (
          <span data-testid="unread-badge" className="rounded-full bg-indigo-600 px-2 py-0.5 text-xs font-semibold text-white">
            {c.unread_count > 99 ? "99+" : c.unread_count}
            <span className="sr-only"> unread</span>
          </span>
        )}
      </button>
      <span id={previewId} className="block truncate text-xs text-slate-600">
        {c.last_message ? previewText(c.last_message) : "No messages yet"}
      </span>
    </li>
  );
}
