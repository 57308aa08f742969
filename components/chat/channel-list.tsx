"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { useState } from "react";
import type { WireChannel } from "@/lib/chat/wire";
import type { ConnectionState } from "@/lib/client/use-realtime";
import { Button } from "@/components/ui/modal";
import { CreateGroupDialog } from "./create-group-dialog";
import { previewText } from "./preview-text";

export function ChannelList({
  channels,
  selectedId,
  onSelect,
  connection,
}: {
  channels: UseQueryResult<WireChannel[]>;
  selectedId: string | null;
  onSelect: (id: string) => void;
  connection: ConnectionState;
}) {
  const [creating, setCreating] = useState(false);
  return (
    <>
      <div className="flex items-center justify-between border-b border-slate-200 px-3 py-2">
        <h2 className="font-semibold">Conversations</h2>
        <Button onClick={() => setCreating(true)}>New group</Button>
      </div>
      {connection !== "online" && (
        <p role="status" className="bg-amber-50 px-3 py-1 text-xs text-amber-800">
          {connection === "connecting" ? "Connecting…" : "Offline — reconnecting…"}
        </p>
      )}
      {channels.isPending && <p className="p-3 text-sm text-slate-500">Loading conversations…</p>}
      {channels.isError && (
        <div role="alert" className="p-3 text-sm text-red-600">
          Could not load conversations. <button type="button" className="underline" onClick={() => channels.refetch()}>Retry</button>
        </div>
      )}
      {channels.data?.length === 0 && <p className="p-3 text-sm text-slate-500">No conversations yet. Create a group to start.</p>}
      <ul className="min-h-0 flex-1 overflow-y-auto" aria-label="Conversations">
        {channels.data?.map((c) => (
          <li key={c.channel_id}>
            <button
              type="button"
              data-testid="channel"
              data-channel-id={c.channel_id}
              aria-current={c.channel_id === selectedId ? "true" : undefined}
              onClick={() => onSelect(c.channel_id)}
              className={`flex w-full items-center gap-2 px-3 py-2 text-left hover:bg-slate-50 focus:bg-slate-100 focus:outline-none ${
                c.channel_id === selectedId ? "bg-indigo-50" : ""
              }`}
            >
              <span className="min-w-0 flex-1">
                <span className="block truncate font-medium">{c.name}</span>
                <span className="block truncate text-xs text-slate-500">{c.last_message ? previewText(c.last_message) : "No messages yet"}</span>
              </span>
              {c.unread_count > 0 && (
                <span
                  data-testid="unread-badge"
                  className="rounded-full bg-indigo-600 px-2 py-0.5 text-xs font-semibold text-white"
                >
                  {c.unread_count > 99 ? "99+" : c.unread_count}
                  <span className="sr-only"> unread</span>
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {creating && <CreateGroupDialog onClose={() => setCreating(false)} onCreated={onSelect} />}
    </>
  );
}
