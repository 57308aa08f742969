"use client";

import { useEffect, useState } from "react";

/** True until the given instant, then false: re-renders exactly when it passes. */
export function useIsBefore(deadline: string | undefined): boolean {
  const at = deadline ? Date.parse(deadline) : Number.NaN;
  const [before, setBefore] = useState(() => Number.isFinite(at) && Date.now() < at);
  useEffect(() => {
    if (!Number.isFinite(at)) return setBefore(false);
    const left = at - Date.now();
    setBefore(left > 0);
    if (left <= 0) return;
    const t = setTimeout(() => setBefore(false), Math.min(left, 2 ** 31 - 1));
    return () => clearTimeout(t);
  }, [at]);
  return before;
}

/** Whole seconds left until the instant (0 after it), ticking once a second while any are left. */
const secondsUntil = (at: number) => (Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : 0);

export function useSecondsLeft(deadline: string | undefined): number {
  const at = deadline ? Date.parse(deadline) : Number.NaN;
  const [seconds, setSeconds] = useState(() => secondsUntil(at));
  useEffect(() => {
    setSeconds(secondsUntil(at));
    if (!Number.isFinite(at) || at <= Date.now()) return;
    const t = setInterval(() => {
      const s = secondsUntil(at);
      setSeconds(s);
      if (s === 0) clearInterval(t);
    }, 1000);
    return () => clearInterval(t);
  }, [at]);
  return seconds;
}
