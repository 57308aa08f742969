import Link from "next/link";
import type { ReactNode } from "react";
import { LiveSessionOnly } from "@/components/live-session-only";
import { requirePageActor } from "@/lib/auth/current";
import { signOutAction } from "@/lib/auth/login-actions";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  return (
    <div className="flex h-full flex-col">
      <header className="flex items-center gap-4 border-b border-slate-200 bg-surface px-4 py-2">
        <span className="font-semibold">imdesk</span>
        <LiveSessionOnly>
          <nav aria-label="Main" className="flex gap-3 text-sm">
            <Link href="/chat" className="text-slate-700 hover:text-indigo-600 dark:hover:text-indigo-300">
              Chat
            </Link>
            {actor.role === "admin" && (
              <Link href="/admin" className="text-slate-700 hover:text-indigo-600 dark:hover:text-indigo-300">
                Admin
              </Link>
            )}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="text-slate-600" data-testid="current-user">
              {actor.name} ({actor.uid})
            </span>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100">
                Sign out
              </button>
            </form>
          </div>
        </LiveSessionOnly>
      </header>
      <div className="min-h-0 flex-1">{children}</div>
    </div>
  );
}
