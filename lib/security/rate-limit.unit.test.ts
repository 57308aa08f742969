import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ApiError } from "@/lib/errors";
import { RateLimiter } from "./rate-limit";

const LIMIT = { burst: 3, perSecond: 1 };

function refused(fn: () => void): ApiError | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
}

describe("rate limiter", () => {
  test("a burst is allowed, the next request is 429 with the seconds until one is back, and time refills", () => {
    let t = 1_000_000;
    const limiter = new RateLimiter(() => t);
    for (let i = 0; i < 3; i++) limiter.take("revoke:bob", LIMIT);
    const err = refused(() => limiter.take("revoke:bob", LIMIT));
    assert.equal(err?.code, "rate_limited");
    assert.deepEqual(err?.details, { retry_after: 1 });
    assert.equal(
      refused(() => limiter.take("revoke:alice", LIMIT)),
      undefined,
      "another user is not limited by bob",
    );
    t += 1000;
    assert.equal(
      refused(() => limiter.take("revoke:bob", LIMIT)),
      undefined,
      "one token back after a second",
    );
  });

  test("a clock set back (test mode) refills nothing and takes nothing away", () => {
    let t = 1_000_000;
    const limiter = new RateLimiter(() => t);
    for (let i = 0; i < 3; i++) limiter.take("send:bob", LIMIT);
    t -= 60_000;
    assert.equal(refused(() => limiter.take("send:bob", LIMIT))?.code, "rate_limited");
    t += 1000;
    assert.equal(
      refused(() => limiter.take("send:bob", LIMIT)),
      undefined,
      "a second on from the set-back time refills one token",
    );
  });

  test("switched off, nothing is limited; clear() fills every bucket and switches it on", () => {
    const limiter = new RateLimiter(() => 0);
    limiter.enabled = false;
    for (let i = 0; i < 10; i++) limiter.take("read:bob", LIMIT);
    limiter.clear();
    assert.equal(limiter.enabled, true);
    for (let i = 0; i < 3; i++) limiter.take("read:bob", LIMIT);
    assert.equal(refused(() => limiter.take("read:bob", LIMIT))?.code, "rate_limited");
  });
});
