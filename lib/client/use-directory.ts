"use client";

import { useQuery } from "@tanstack/react-query";
import { api, call } from "./api";

/** The people one can message or add: every active account (GET /api/users), cached for the tab. */
export function useDirectory() {
  return useQuery({
    queryKey: ["users"],
    queryFn: () => call(api.users.$get()).then((r) => r.users),
    staleTime: 60_000,
  });
}
