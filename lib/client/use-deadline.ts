"use client";

import { useEffect, useState } from "react";
import { now } from "@/lib/clock";
import { CLOCK_MOVED_EVENT } from "./server-clock";

/** Changes whenever the clock moved noticeably: a dependency for effects that schedule by it. */
function useClockMoves(): number {
  const [moves, setMoves] = useState(0);
  useEffect(() => {
    const bump = () => setMoves((n) => n + 1);
    window.addEventListener(CLOCK_MOVED_EVENT, bump);
    return () => window.removeEventListener(CLOCK_MOVED_EVENT, bump);
  }, []);
  return moves;
}

/** True until the given instant by the server's clock (lib/client/server-clock.ts), then false: re-renders exactly when it passes. */
export function useIsBefore(deadline: string | undefined): boolean {
  const at = deadline ? Date.parse(deadline) : Number.NaN;
  const [before, setBefore] = useState(() => Number.isFinite(at) && now() < at);
  const moves = useClockMoves();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `moves` re-runs the effect when the clock moved
  useEffect(() => {
    if (!Number.isFinite(at)) return setBefore(false);
    const left = at - now();
    setBefore(left > 0);
    if (left <= 0) return;
    const t = setTimeout(() => setBefore(false), Math.min(left, 2 ** 31 - 1));
    return () => clearTimeout(t);
  }, [at, moves]);
  return before;
}

/** Whole seconds left until the instant (0 after it), ticking once a second while any are left. */
const secondsUntil = (at: number) => (Number.isFinite(at) ? Math.max(0, Math.ceil((at - now()) / 1000)) : 0);

export function useSecondsLeft(deadline: string | undefined): number {
  const at = deadline ? Date.parse(deadline) : Number.NaN;
  const [seconds, setSeconds] = useState(() => secondsUntil(at));
  const moves = useClockMoves();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `moves` re-runs the effect when the clock moved
  useEffect(() => {
    setSeconds(secondsUntil(at));
    if (!Number.isFinite(at) || at <= now()) return;
    const t = setInterval(() => {
      const s = secondsUntil(at);
      setSeconds(s);
      if (s === 0) clearInterval(t);
    }, 1000);
    return () => clearInterval(t);
  }, [at, moves]);
  return seconds;
}
