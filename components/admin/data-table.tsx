"use client";

import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { type ReactNode, useMemo, useState } from "react";

export interface Column<T> {
  key: string;
  label: string;
  render: (row: T) => ReactNode;
  /** Value used to sort the loaded rows by this column. */
  sort?: (row: T) => string | number;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/**
 * A server-paginated table: loading, empty and error states, "Load more" for
 * the next cursor page, column sorting of what is loaded, rows reachable by
 * keyboard when they open something.
 */
export function DataTable<T>({
  query,
  columns,
  rowKey,
  empty,
  onOpen,
  testId,
}: {
  query: UseInfiniteQueryResult<InfiniteData<Page<T>>>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  empty: string;
  onOpen?: (row: T) => void;
  testId?: string;
}) {
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 } | null>(null);
  const rows = useMemo(() => {
    const all = query.data?.pages.flatMap((p) => p.items) ?? [];
    const col = columns.find((c) => c.key === sort?.key);
    if (!col?.sort || !sort) return all;
    const by = col.sort;
    return [...all].sort((a, b) => (by(a) < by(b) ? -sort.dir : by(a) > by(b) ? sort.dir : 0));
  }, [query.data, sort, columns]);

  if (query.isPending) return <p className="py-6 text-sm text-slate-600">Loading…</p>;
  if (query.isError)
    return (
      <p role="alert" className="py-6 text-sm text-red-600">
        Could not load: {query.error.message}{" "}
        <button type="button" className="underline" onClick={() => query.refetch()}>
          Retry
        </button>
      </p>
    );
  return (
    <div>
      <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200">
        <table className="min-w-full bg-surface text-sm" data-testid={testId}>
          <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
            <tr>
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className="px-3 py-2 font-medium whitespace-nowrap"
                  aria-sort={sort?.key === c.key ? (sort.dir === 1 ? "ascending" : "descending") : undefined}
                >
                  {c.sort ? (
                    <button
                      type="button"
                      className="hover:text-slate-900"
                      onClick={() => setSort((s) => ({ key: c.key, dir: s?.key === c.key && s.dir === 1 ? -1 : 1 }))}
                    >
                      {c.label} {sort?.key === c.key ? (sort.dir === 1 ? "▲" : "▼") : ""}
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr
                key={rowKey(row)}
                data-testid="row"
                tabIndex={onOpen ? 0 : undefined}
                onClick={onOpen ? () => onOpen(row) : undefined}
                onKeyDown={onOpen ? (e) => e.key === "Enter" && onOpen(row) : undefined}
                className={onOpen ? "cursor-pointer hover:bg-slate-50 focus:bg-indigo-50 focus:outline-none" : ""}
              >
                {columns.map((c) => (
                  <td key={c.key} className="px-3 py-2 align-top whitespace-nowrap">
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p className="py-6 text-center text-sm text-slate-600">{empty}</p>}
      {query.hasNextPage && (
        <div className="mt-3 text-center">
          <button
            type="button"
            className="rounded-md px-3 py-1.5 text-sm ring-1 ring-slate-300 hover:bg-slate-50"
            disabled={query.isFetchingNextPage}
            onClick={() => query.fetchNextPage()}
          >
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </div>
  );
}

export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");
