"use client";

import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { api, call } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/message-cache";
import { useRealtime } from "@/lib/client/use-realtime";
import { ChannelList } from "./channel-list";
import { Conversation } from "./conversation";
import type { Me } from "./types";

export function ChatApp({ me, initialChannelId = null }: { me: Me; initialChannelId?: string | null }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <ChatShell me={me} initialChannelId={initialChannelId} />
    </QueryClientProvider>
  );
}

const pathFor = (channelId: string | null) => (channelId ? `/chat/${encodeURIComponent(channelId)}` : "/chat");
const channelFromPath = () => {
  const m = window.location.pathname.match(/^\/chat\/([^/]+)/);
  return m ? decodeURIComponent(m[1]) : null;
};

function ChatShell({ me, initialChannelId }: { me: Me; initialChannelId: string | null }) {
  const { socket, state } = useRealtime();
  const channels = useQuery({
    queryKey: queryKeys.channels,
    queryFn: () => call(api.channels.$get()).then((r) => r.channels),
  });
  // The open conversation lives in the URL (/chat/{id}); switching is a history entry, not a page load.
  const [selectedId, setSelected] = useState<string | null>(initialChannelId);
  const setSelectedId = useCallback((id: string | null) => {
    setSelected(id);
    if (window.location.pathname !== pathFor(id)) window.history.pushState(null, "", pathFor(id));
  }, []);
  useEffect(() => {
    const onPop = () => setSelected(channelFromPath());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const selected = channels.data?.find((c) => c.channel_id === selectedId) ?? null;
  const unknown = selectedId !== null && channels.isSuccess && !selected;

  return (
    <div className="flex h-full flex-col">
      {state !== "online" && (
        <p role="status" data-testid="connection-banner" className="bg-amber-50 px-3 py-1 text-center text-sm text-amber-800">
          {state === "connecting" ? "Connecting…" : "Offline — reconnecting…"}
        </p>
      )}
      <div className="flex min-h-0 flex-1">
      <aside className={`${selectedId ? "hidden md:flex" : "flex"} w-full flex-col border-r border-slate-200 bg-surface md:w-72`}>
        <ChannelList channels={channels} selectedId={selectedId} onSelect={setSelectedId} me={me} />
      </aside>
      <main className={`${selectedId ? "flex" : "hidden md:flex"} min-w-0 flex-1 flex-col`}>
        {selected ? (
          <Conversation key={selected.channel_id} channel={selected} me={me} socket={socket} onBack={() => setSelectedId(null)} onLeft={() => setSelectedId(null)} />
        ) : unknown ? (
          <div role="alert" className="m-auto p-8 text-center text-slate-600">
            This conversation does not exist or you are not a member of it.
          </div>
        ) : (
          <div className="m-auto p-8 text-center text-slate-600">Pick a conversation on the left, start a direct message, or create a group.</div>
        )}
      </main>
      </div>
    </div>
  );
}
