"use client";

import { useCallback, useState } from "react";

/**
 * A string kept in the page's query string (?key=value): the server page
 * passes the value it was asked for (so the first render matches on both
 * sides), and changes are written back with replaceState, so a filtered view
 * can be reloaded, bookmarked and shared.
 */
export function useQueryParam(key: string, initial = ""): [string, (value: string) => void] {
  const [value, setValue] = useState(initial);
  const set = useCallback(
    (next: string) => {
      setValue(next);
      const url = new URL(window.location.href);
      if (next) url.searchParams.set(key, next);
      else url.searchParams.delete(key);
      window.history.replaceState(null, "", url);
    },
    [key],
  );
  return [value, set];
}

/** Several filters at once, in the query string: the same idea for a filter form. */
export function useQueryFilters<T extends Record<string, string>>(
  defaults: T,
  initial: Record<string, string | string[] | undefined> = {},
): [T, (next: T) => void] {
  const [value, setValue] = useState<T>(
    () => Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, typeof initial[k] === "string" ? initial[k] : v])) as T,
  );
  const set = useCallback((next: T) => {
    setValue(next);
    const url = new URL(window.location.href);
    for (const [k, v] of Object.entries(next)) {
      if (v) url.searchParams.set(k, v);
      else url.searchParams.delete(k);
    }
    window.history.replaceState(null, "", url);
  }, []);
  return [value, set];
}
