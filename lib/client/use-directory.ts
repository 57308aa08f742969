"use client";

import { useQuery } from "@tanstack/react-query";
import type { DirectoryUser } from "@/lib/contracts/chat";
import { api } from "./api";


/** The people one can message or add: every active account (GET /api/users), cached for the tab. */
export function useDirectory() {
  return useQuery({
    queryKey: ["users"],
    queryFn: () => api<{ users: DirectoryUser[] }>("/api/users").then((r) => r.users),
    staleTime: 60_000,
  });
}
