"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import type { Page } from "./data-table";

/** A cursor-paginated admin list whose filters are part of the key (and of the URL it fetches). */
export function useAdminList<T>(topic: string, path: string, filters: Record<string, string | undefined>) {
  const params = Object.entries(filters).filter(([, v]) => v);
  return useInfiniteQuery({
    queryKey: ["admin", topic, path, params],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const qs = new URLSearchParams(params as [string, string][]);
      if (pageParam) qs.set("cursor", pageParam);
      return api<Page<T>>(`${path}?${qs}`);
    },
    getNextPageParam: (last) => last.next_cursor,
  });
}
