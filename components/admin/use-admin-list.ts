"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { Page } from "./data-table";

/** A cursor-paginated admin list whose filters are part of the key (and of the query it fetches with). */
export function useAdminList<T>(
  topic: string,
  filters: Record<string, string | undefined>,
  fetchPage: (query: Record<string, string>) => Promise<Page<T>>,
) {
  const params = Object.entries(filters).filter(([, v]) => v) as [string, string][];
  return useInfiniteQuery({
    queryKey: ["admin", topic, "list", params],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => fetchPage({ ...Object.fromEntries(params), ...(pageParam ? { cursor: pageParam } : {}) }),
    getNextPageParam: (last) => last.next_cursor,
  });
}
