"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { WireChannel } from "@/lib/chat/wire";
import { api } from "@/lib/client/api";
import { type MessagePage, queryKeys } from "@/lib/client/message-cache";
import type { ChatSocket } from "@/lib/client/use-realtime";
import { Composer } from "./composer";
import { MessageList } from "./message-list";
import type { Me } from "./types";

export function Conversation({
  channel,
  me,
  socket,
  onBack,
}: {
  channel: WireChannel;
  me: Me;
  socket: ChatSocket | null;
  onBack: () => void;
}) {
  const channelId = channel.channel_id;
  // Where the "new messages" divider sits: the cursor as it was on opening.
  const [readMark] = useState(channel.last_read_seq);
  const page = useQuery({
    queryKey: queryKeys.messages(channelId),
    queryFn: () => api<MessagePage>(`/api/channels/${encodeURIComponent(channelId)}/messages?limit=50`),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const members = useQuery({
    queryKey: ["members", channelId],
    queryFn: () =>
      api<{ members: { uid: string; name: string }[] }>(`/api/channels/${encodeURIComponent(channelId)}/members`).then(
        (r) => new Map(r.members.map((m) => [m.uid, m.name])),
      ),
  });
  const names = members.data ?? new Map<string, string>();

  return (
    <>
      <header className="flex items-center gap-2 border-b border-slate-200 bg-white px-4 py-2">
        <button type="button" onClick={onBack} className="rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 md:hidden">
          ← Back
        </button>
        <h1 className="truncate font-semibold">{channel.name}</h1>
        <span className="text-xs text-slate-400">{names.size ? `${names.size} members` : ""}</span>
      </header>
      {page.isPending && <p className="p-4 text-sm text-slate-500">Loading messages…</p>}
      {page.isError && (
        <div role="alert" className="p-4 text-sm text-red-600">
          Could not load messages: {page.error.message}{" "}
          <button type="button" className="underline" onClick={() => page.refetch()}>
            Retry
          </button>
        </div>
      )}
      {page.data && <MessageList channel={channel} me={me} page={page.data} names={names} readMark={readMark} socket={socket} />}
      <Composer channelId={channelId} me={me} />
    </>
  );
}
