"use client";

import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, call } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/message-cache";
import { useSessionEnd } from "@/lib/client/session-end";
import { type Removal, useRealtime } from "@/lib/client/use-realtime";
import { ChannelList } from "./channel-list";
import { Conversation } from "./conversation";
import { SessionEnded } from "./session-ended";
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

const removedText = (r: Removal) => `You were removed from ${r.group} by ${r.by}.`;

/**
 * Takes the place of the conversation the viewer was removed from. Focus that
 * fell with it (the composer, an open members dialog) moves here, so keyboard
 * and screen reader users land on the news; focus elsewhere is left alone.
 */
function RemovedNotice({ removal }: { removal: Removal }) {
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) notice.current?.focus();
  }, []);
  return (
    <div
      ref={notice}
      tabIndex={-1}
      role="alert"
      data-testid="removed-notice"
      className="m-auto rounded-lg p-8 text-center text-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
    >
      {removedText(removal)}
    </div>
  );
}

const pathFor = (channelId: string | null) => (channelId ? `/chat/${encodeURIComponent(channelId)}` : "/chat");
const channelFromPath = () => {
  const m = window.location.pathname.match(/^\/chat\/([^/]+)/);
  return m ? decodeURIComponent(m[1]) : null;
};

function ChatShell({ me, initialChannelId }: { me: Me; initialChannelId: string | null }) {
  const { socket, state, removals, dismissRemoval } = useRealtime(me.uid);
  const ended = useSessionEnd();
  const channels = useQuery({
    queryKey: queryKeys.channels,
    queryFn: () => call(api.channels.$get()).then((r) => r.channels),
  });
  // The open conversation lives in the URL (/chat/{id}); switching is a history entry, not a page load.
  const [selectedId, setSelected] = useState<string | null>(initialChannelId);
  // Leaving a conversation whose removal was on screen means it was read: it is not told again
  // as a banner. (A removal of a group that was not open is told by a banner until dismissed.)
  const openId = useRef(selectedId);
  const select = useCallback(
    (id: string | null) => {
      if (openId.current !== null && openId.current !== id) dismissRemoval(openId.current);
      openId.current = id;
      setSelected(id);
    },
    [dismissRemoval],
  );
  const setSelectedId = useCallback(
    (id: string | null) => {
      select(id);
      if (window.location.pathname !== pathFor(id)) window.history.pushState(null, "", pathFor(id));
    },
    [select],
  );
  useEffect(() => {
    const onPop = () => select(channelFromPath());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, [select]);
  const selected = channels.data?.find((c) => c.channel_id === selectedId) ?? null;
  const unknown = selectedId !== null && channels.isSuccess && !selected;
  const removedHere = unknown ? removals.find((r) => r.channelId === selectedId) : undefined;
  const removedElsewhere = removals.filter((r) => r !== removedHere && !channels.data?.some((c) => c.channel_id === r.channelId));

  if (ended) return <SessionEnded reason={ended} />;
  return (
    <div className="flex h-full flex-col">
      {removedElsewhere.map((r) => (
        <p
          key={r.channelId}
          role="status"
          data-testid="removed-banner"
          className="flex items-center justify-center gap-2 bg-amber-50 px-3 py-1 text-sm text-amber-800"
        >
          {removedText(r)}
          <button type="button" onClick={() => dismissRemoval(r.channelId)} className="rounded px-1 underline">
            Dismiss
          </button>
        </p>
      ))}
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
            <Conversation
              key={selected.channel_id}
              channel={selected}
              me={me}
              socket={socket}
              onBack={() => setSelectedId(null)}
              onLeft={() => setSelectedId(null)}
            />
          ) : removedHere ? (
            <RemovedNotice removal={removedHere} />
          ) : unknown ? (
            <div role="alert" className="m-auto p-8 text-center text-slate-600">
              This conversation does not exist or you are not a member of it.
            </div>
          ) : (
            <div className="m-auto p-8 text-center text-slate-600">
              Pick a conversation on the left, start a direct message, or create a group.
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
