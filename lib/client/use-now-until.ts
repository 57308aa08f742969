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
