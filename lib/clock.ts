// The one clock every rule reads (recall window, receipt flushing, retention,
// rate limits, token expiry, the change feed). Nothing else reads Date.now():
// test mode moves this clock (POST /api/test/clock) so a test can say "two
// minutes later" without waiting, and the server and browser agree.
let offsetMs = 0;

/** Milliseconds since the epoch, as the rules see it. */
export function now(): number {
  return Date.now() + offsetMs;
}

/** `now()` as a Date, for timestamps written to the database. */
export function nowDate(): Date {
  return new Date(now());
}

/** Test mode only: move the clock forward (or back) by `ms`. */
export function advanceClock(ms: number): void {
  offsetMs += ms;
}

/** Test mode only: make `now()` answer `at` from this moment on (it keeps ticking). */
export function setClock(at: number): void {
  offsetMs = at - Date.now();
}

/** Back to the real time. */
export function resetClock(): void {
  offsetMs = 0;
}

export function clockOffsetMs(): number {
  return offsetMs;
}
