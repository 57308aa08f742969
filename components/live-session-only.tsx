"use client";

import type { ReactNode } from "react";
import { useSessionEnd } from "@/lib/client/session-end";

/**
 * Shows its children only while this tab's session goes on: once it has ended
 * (the browser is signed out), the header's name, links and "Sign out" would
 * speak of a session that no longer exists.
 */
export function LiveSessionOnly({ children }: { children: ReactNode }) {
  return useSessionEnd() ? null : children;
}
