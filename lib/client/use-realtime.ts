"use client";

import { type Query, type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents, WireChannel } from "@/lib/contracts/chat";
import { api, call } from "./api";
import { applyLiveEvent, applyRevoke, type MessagePage, queryKeys, upsertMessages } from "./message-cache";
import { followServerClock } from "./server-clock";
import { endSession, sessionEndOfConnectError } from "./session-end";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = "connecting" | "online" | "offline";
/** The viewer was taken out of a group by someone else. */
export interface Removal {
  channelId: string;
  group: string;
  by: string;
}

/**
 * On every connect (the first included: the page may have loaded before the
 * socket joined its rooms), each open conversation catches up without reloading:
 * revokes from the change feed since the version it holds, then messages after
 * its newest one. The channel list is refetched for exact unread counts.
 */
async function catchUp(client: QueryClient) {
  // A first load still in flight may have read the database before the socket
  // was in its rooms, and an event sent in between was missed. TanStack would
  // hand a refetch that same in-flight answer, so those loads start over.
  const isFirstLoad = (q: Query) => q.state.data === undefined && q.state.fetchStatus === "fetching";
  const firstLoads = client.getQueryCache().findAll({ predicate: isFirstLoad });
  await client.cancelQueries({ predicate: isFirstLoad }); // reverts them to "pending", no error shown
  for (const q of firstLoads) void client.refetchQueries({ queryKey: q.queryKey, exact: true });
  void client.invalidateQueries({ queryKey: queryKeys.channels });
  for (const [key, page] of client.getQueriesData<MessagePage>({ queryKey: ["messages"] })) {
    const channelId = key[1] as string;
    if (!page) continue;
    try {
      let version = page.version;
      for (let more = true; more; ) {
        const res = await call(api.channels[":channel_id"].changes.$get({ param: { channel_id: channelId }, query: { since: version } }));
        client.setQueryData<MessagePage>(key, (p) =>
          p ? res.changes.reduce((acc, c) => applyRevoke(acc, c), { ...p, version: res.version }) : p,
        );
        version = res.version;
        more = res.more;
      }
      const newest = page.messages.filter((m) => !m.pending).at(-1)?.message_seq ?? 0;
      const res = await call(
        api.channels[":channel_id"].messages.$get({ param: { channel_id: channelId }, query: { after_seq: newest, limit: 200 } }),
      );
      client.setQueryData<MessagePage>(key, (p) => (p ? upsertMessages(p, res.messages) : p));
    } catch {
      void client.invalidateQueries({ queryKey: key });
    }
  }
}

/**
 * This tab's device id, kept for the tab's life: the server hands notices a
 * crashed instance never sent to each device once, however often it reconnects.
 */
function deviceId(): string {
  const KEY = "imdesk-device";
  let id = sessionStorage.getItem(KEY);
  if (!id) {
    id = crypto.randomUUID();
    sessionStorage.setItem(KEY, id);
  }
  return id;
}

/** One Socket.IO connection per tab, feeding TanStack Query caches. */
export function useRealtime(myUid: string): {
  socket: ChatSocket | null;
  state: ConnectionState;
  removals: Removal[];
  dismissRemoval: (channelId: string) => void;
} {
  const client = useQueryClient();
  const [socket, setSocket] = useState<ChatSocket | null>(null);
  const [state, setState] = useState<ConnectionState>("connecting");
  const [removals, setRemovals] = useState<Removal[]>([]);
  const dismissRemoval = useCallback((channelId: string) => setRemovals((r) => r.filter((x) => x.channelId !== channelId)), []);

  useEffect(() => {
    const s: ChatSocket = io({ autoConnect: false, path: "/socket.io", auth: { device: deviceId() } });
    // A lost network is known at once from the browser; the socket's own ping would take up to 15 s.
    const goneOffline = () => {
      setState("offline");
      s.io.engine?.close();
    };
    const backOnline = () => {
      if (!s.connected) s.connect();
    };
    window.addEventListener("offline", goneOffline);
    window.addEventListener("online", backOnline);
    s.on("connect", () => {
      setState("online");
      // The socket is in its rooms now: whatever changed before — while the page
      // loaded (a group created, a message sent) or while it was disconnected —
      // is fetched from here on, and live events cover the rest.
      void catchUp(client);
    });
    s.on("disconnect", () => setState("offline"));
    // Refused for want of a session (expired, signed out elsewhere, account
    // disabled while offline): retrying cannot help, so the tab says why.
    s.on("connect_error", (err) => {
      setState("offline");
      const end = sessionEndOfConnectError(err.message);
      if (end) {
        s.disconnect();
        endSession(end);
      }
    });
    // Test mode: the server's clock moved (follow it now), or its data was reset (what this page holds is gone).
    s.on("test:clock", (e) => followServerClock(e.now_ms));
    s.on("test:reset", () => window.location.reload());
    s.on("session:ended", (e) => {
      s.disconnect();
      endSession(e.reason);
    });
    s.on("message:new", (m) => applyLiveEvent.messageNew(client, m));
    s.on("message:revoked", (e) => applyLiveEvent.messageRevoked(client, e));
    s.on("receipts:update", (e) => applyLiveEvent.receiptsUpdate(client, e));
    s.on("channel:read", () => void client.invalidateQueries({ queryKey: queryKeys.channels }));
    s.on("channel:updated", (e) => {
      if (e.removed?.uids.includes(myUid)) {
        // The name is read before the list is refetched without this group.
        const group = client.getQueryData<WireChannel[]>(queryKeys.channels)?.find((c) => c.channel_id === e.channel_id)?.name ?? "a group";
        const removal = { channelId: e.channel_id, group, by: e.removed.by.name };
        setRemovals((r) => [...r.filter((x) => x.channelId !== e.channel_id), removal]);
      }
      void client.invalidateQueries({ queryKey: queryKeys.channels });
      void client.invalidateQueries({ queryKey: ["members", e.channel_id] });
    });
    s.connect();
    setSocket(s);
    return () => {
      window.removeEventListener("offline", goneOffline);
      window.removeEventListener("online", backOnline);
      s.removeAllListeners();
      s.disconnect();
    };
  }, [client, myUid]);

  return { socket, state, removals, dismissRemoval };
}
