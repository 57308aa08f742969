import { clockOffsetMs, setClock } from "@/lib/clock";
import { CLOCK_HEADER } from "@/lib/contracts/enums";

/** The window event fired when the browser's clock moved noticeably (use-deadline.ts re-schedules on it). */
export const CLOCK_MOVED_EVENT = "imdesk:clock";
// Answers arrive a few ms after the server stamped them: only a real move (test mode's clock, a skewed machine) re-renders.
const NOTICEABLE_MS = 1000;

/**
 * The browser reads the same clock module as the server (lib/clock.ts),
 * set to the server's time: every API answer carries it (x-imdesk-now) and
 * test mode announces a move (`test:clock`), so "window passed" in the
 * chat agrees with what the server would decide.
 */
export function followServerClock(serverNowMs: number) {
  if (!Number.isFinite(serverNowMs) || serverNowMs <= 0) return;
  const before = clockOffsetMs();
  setClock(serverNowMs);
  if (typeof window !== "undefined" && Math.abs(clockOffsetMs() - before) >= NOTICEABLE_MS)
    window.dispatchEvent(new Event(CLOCK_MOVED_EVENT));
}

/** fetch for the pages' API client: follows the server's clock from each answer. */
export const fetchFollowingServerClock: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  followServerClock(Number(res.headers.get(CLOCK_HEADER)));
  return res;
};
