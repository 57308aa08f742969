import { singleton } from "@/lib/util/singleton";

// The one clock every rule reads (recall window, receipt flushing, retention,
// rate limits, token expiry, the change feed). Nothing else reads Date.now():
// test mode moves this clock (POST /api/test/clock) so a test can say "two
// minutes later" without waiting, and the server and browser agree.
// The offset lives on globalThis: Next gives route handlers and the Auth.js
// middleware their own copy of this module, and all must read one clock.
const state = () => singleton("clock", () => ({ offsetMs: 0 }));

/** Milliseconds since the epoch, as the rules see it. */
export function now(): number {
  return Date.now() + state().offsetMs;
}

/** `now()` as a Date, for timestamps written to the database. */
export function nowDate(): Date {
  return new Date(now());
}

/** Test mode only: move the clock forward (or back) by `ms`. */
export function advanceClock(ms: number): void {
  state().offsetMs += ms;
}

/** Test mode only: make `now()` answer `at` from this moment on (it keeps ticking). */
export function setClock(at: number): void {
  state().offsetMs = at - Date.now();
}

/** Back to the real time. */
export function resetClock(): void {
  state().offsetMs = 0;
}

/**
 * The `maxAge` to hand Auth.js's `encode`, which stamps `exp` from the
 * machine's time: shifted so the token expires `seconds` after the clock's now.
 */
export function jwtMaxAge(seconds: number): number {
  return Math.max(1, seconds + Math.round(state().offsetMs / 1000));
}

/** Whether a JWT's `exp` (seconds) has passed by the clock. */
export function jwtExpired(exp: unknown): boolean {
  return typeof exp === "number" && exp * 1000 <= now();
}

/** How far the rules' clock is from the machine's (0 unless a test moved it). */
export function clockOffsetMs(): number {
  return state().offsetMs;
}
