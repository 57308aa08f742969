"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, call } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/message-cache";
import type { ChatSocket } from "@/lib/client/use-realtime";
import type { WireChannel } from "@/lib/contracts/chat";
import { CHANNEL_TYPE } from "@/lib/contracts/enums";
import { Composer } from "./composer";
import { MembersDialog } from "./members-dialog";
import { MessageList } from "./message-list";
import type { Me } from "./types";
import { useMembers } from "./use-members";

export function Conversation({
  channel,
  me,
  socket,
  onBack,
  onLeft,
}: {
  channel: WireChannel;
  me: Me;
  socket: ChatSocket | null;
  onBack: () => void;
  onLeft: () => void;
}) {
  const [showMembers, setShowMembers] = useState(false);
  const channelId = channel.channel_id;
  // Where the "new messages" divider sits: the cursor as it was on opening.
  const [readMark] = useState(channel.last_read_seq);
  const page = useQuery({
    queryKey: queryKeys.messages(channelId),
    // Enough history to start at the first unread message (up to 200 back).
    queryFn: () =>
      call(
        api.channels[":channel_id"].messages.$get({
          param: { channel_id: channelId },
          query: { limit: Math.min(200, Math.max(50, channel.unread_count + 10)) },
        }),
      ),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const members = useMembers(channelId);
  const names = new Map((members.data?.members ?? []).map((m) => [m.uid, m.name]));

  return (
    <>
      <header className="flex items-center gap-2 border-b border-slate-200 bg-surface px-4 py-2">
        <button type="button" onClick={onBack} className="min-h-8 rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 md:hidden">
          ← Back
        </button>
        <h1 className="min-w-0 flex-1 truncate font-semibold">{channel.name}</h1>
        <button
          type="button"
          onClick={() => setShowMembers(true)}
          className="min-h-8 rounded px-2 py-1 text-sm text-slate-700 hover:bg-slate-100"
          aria-haspopup="dialog"
        >
          {channel.channel_type === CHANNEL_TYPE.group ? (names.size ? `${names.size} members` : "Members") : "Details"}
        </button>
      </header>
      {showMembers && <MembersDialog channel={channel} me={me} onClose={() => setShowMembers(false)} onLeft={onLeft} />}
      {page.isPending && <p className="p-4 text-sm text-slate-600">Loading messages…</p>}
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
