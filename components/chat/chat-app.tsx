"use client";

import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { WireChannel } from "@/lib/chat/wire";
import { api } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/message-cache";
import { useRealtime } from "@/lib/client/use-realtime";
import { ChannelList } from "./channel-list";
import { Conversation } from "./conversation";
import type { Me } from "./types";

export function ChatApp({ me }: { me: Me }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <ChatShell me={me} />
    </QueryClientProvider>
  );
}

function ChatShell({ me }: { me: Me }) {
  const { socket, state } = useRealtime();
  const channels = useQuery({
    queryKey: queryKeys.channels,
    queryFn: () => api<{ channels: WireChannel[] }>("/api/channels").then((r) => r.channels),
  });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = channels.data?.find((c) => c.channel_id === selectedId) ?? null;

  return (
    <div className="flex h-full">
      <aside className={`${selected ? "hidden md:flex" : "flex"} w-full flex-col border-r border-slate-200 bg-white md:w-72`}>
        <ChannelList channels={channels} selectedId={selectedId} onSelect={setSelectedId} connection={state} />
      </aside>
      <main className={`${selected ? "flex" : "hidden md:flex"} min-w-0 flex-1 flex-col`}>
        {selected ? (
          <Conversation key={selected.channel_id} channel={selected} me={me} socket={socket} onBack={() => setSelectedId(null)} />
        ) : (
          <div className="m-auto p-8 text-center text-slate-500">Pick a conversation on the left, or create a group.</div>
        )}
      </main>
    </div>
  );
}
