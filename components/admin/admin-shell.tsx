"use client";

import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { SessionEnded } from "@/components/chat/session-ended";
import { endSession, sessionEndOfConnectError, useSessionEnd } from "@/lib/client/session-end";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/chat";

const PAGES = [
  ["/admin", "Overview"],
  ["/admin/revocations", "Revocations"],
  ["/admin/receipts", "Receipts"],
  ["/admin/webhooks", "Webhooks"],
  ["/admin/push", "Push log"],
  ["/admin/presence", "Presence"],
  ["/admin/users", "Users"],
  ["/admin/health", "Health"],
] as const;

/**
 * Admin data refreshes live: each `admin:changed` invalidates that topic's
 * queries. A session the server ends (this admin disabled, or refused on
 * reconnect) ends the console too, saying why, as the chat does.
 */
function LiveUpdates() {
  const client = useQueryClient();
  useEffect(() => {
    const s: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: "/socket.io" });
    s.on("admin:changed", ({ topic }) => {
      void client.invalidateQueries({ queryKey: ["admin", topic] });
      void client.invalidateQueries({ queryKey: ["admin", "overview"] });
    });
    s.on("connect", () => void client.invalidateQueries({ queryKey: ["admin"] }));
    s.on("session:ended", (e) => {
      s.disconnect();
      endSession(e.reason);
    });
    s.on("connect_error", (err) => {
      const end = sessionEndOfConnectError(err.message);
      if (end) {
        s.disconnect();
        endSession(end);
      }
    });
    return () => {
      s.removeAllListeners();
      s.disconnect();
    };
  }, [client]);
  return null;
}

export function AdminShell({ children }: { children: ReactNode }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, refetchOnWindowFocus: false, retry: 1 } } }),
  );
  const pathname = usePathname();
  const ended = useSessionEnd();
  if (ended) return <SessionEnded reason={ended} />;
  return (
    <QueryClientProvider client={client}>
      <LiveUpdates />
      <div className="flex h-full flex-col md:flex-row">
        <nav
          aria-label="Admin"
          className="flex flex-wrap gap-1 border-b border-slate-200 bg-surface p-2 md:w-48 md:flex-col md:border-r md:border-b-0"
        >
          {PAGES.map(([href, label]) => (
            <Link
              key={href}
              href={href}
              aria-current={pathname === href ? "page" : undefined}
              className={`flex min-h-8 items-center rounded-md px-3 py-1.5 text-sm whitespace-nowrap ${pathname === href ? "bg-indigo-50 font-medium text-indigo-700 dark:text-indigo-300" : "text-slate-700 hover:bg-slate-50"}`}
            >
              {label}
            </Link>
          ))}
          {/* The API reference is its own page (Scalar), not part of the console. */}
          <a
            href="/docs/api"
            className="flex min-h-8 items-center rounded-md px-3 py-1.5 text-sm whitespace-nowrap text-slate-700 hover:bg-slate-50"
          >
            API reference
          </a>
        </nav>
        <main className="min-h-0 min-w-0 flex-1 overflow-y-auto p-4 md:p-6">{children}</main>
      </div>
    </QueryClientProvider>
  );
}
