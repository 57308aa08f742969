"use client";

import { useSyncExternalStore } from "react";
import type { SessionEndReason } from "@/lib/contracts/chat";

/** Why the server will not take this tab back: the account was disabled or is gone, or the session is. */
export type SessionEnd = SessionEndReason | "signed_out";

// One per tab, outside React: the chat, the admin console and the page header (rendered apart, by
// the server layout) all follow it, so none of them goes on showing a session that has ended.
let ended: SessionEnd | null = null;
const listeners = new Set<() => void>();

/** Records that this tab's session has ended; the first reason stands. */
export function endSession(reason: SessionEnd) {
  if (ended) return;
  ended = reason;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Why this tab's session ended, or null while it goes on. */
export function useSessionEnd(): SessionEnd | null {
  return useSyncExternalStore(
    subscribe,
    () => ended,
    () => null,
  );
}

/** The reason a refused socket connection gives, if it means the session is over. */
export function sessionEndOfConnectError(message: string): SessionEnd | null {
  if (message === "account_disabled") return "account_disabled";
  if (message === "unauthenticated") return "signed_out";
  return null;
}
