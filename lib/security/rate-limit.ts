import { now as clockNow } from "@/lib/clock";
import { config } from "@/lib/config";
import { ApiError } from "@/lib/errors";
import { setSingleton, singleton } from "@/lib/util/singleton";

interface Bucket {
  tokens: number;
  at: number;
}

export interface Limit {
  /** Requests allowed in a burst. */
  burst: number;
  /** Sustained requests per second. */
  perSecond: number;
}

/**
 * Token buckets kept in memory, per instance (a cluster of N allows N× the
 * rate; the limits are set so that this never matters for ordinary use).
 */
export class RateLimiter {
  /** The clock every rule reads (lib/clock.ts), or a test's. */
  constructor(private readonly now: () => number = clockNow) {}

  private buckets = new Map<string, Bucket>();
  private sweeps = 0;
  /** Test mode can switch limiting off (POST /api/test/rate-limits) until its next reset. */
  enabled = true;

  /** Takes one token or throws 429 with the seconds until one is back. */
  take(key: string, limit: Limit) {
    if (!this.enabled) return;
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    // A clock a test set back refills nothing (and takes nothing away).
    b.tokens = Math.min(limit.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * limit.perSecond);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      const retryAfter = Math.max(1, Math.ceil((1 - b.tokens) / limit.perSecond));
      throw new ApiError("rate_limited", `Too many requests; try again in ${retryAfter} s.`, { retry_after: retryAfter });
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    if (++this.sweeps % 10_000 === 0) this.sweep(now);
  }

  /** Test mode's reset: every bucket full again, limiting on. */
  clear() {
    this.buckets.clear();
    this.enabled = true;
  }

  /** Full buckets carry no information: forget them. */
  private sweep(now: number) {
    for (const [k, b] of this.buckets) if (now - b.at > 10 * 60_000) this.buckets.delete(k);
  }
}

const KEY = "rate-limiter";

/**
 * The process's limiter: the one boot put in the context (installRateLimiter),
 * shared with the callers that still reach for it here — Auth.js's sign-in
 * (lib/auth, called by Next) and the send (lib/chat/messages.ts).
 */
export const limiter = () => singleton(KEY, () => new RateLimiter());

export function installRateLimiter(l: RateLimiter) {
  setSingleton(KEY, l);
}

const LIMITS = {
  // Guessing passwords: per account and per address.
  signInPerAccount: { burst: 20, perSecond: config().SIGNIN_PER_ACCOUNT_PER_MINUTE / 60 },
  signInPerAddress: { burst: 60, perSecond: config().SIGNIN_PER_ADDRESS_PER_MINUTE / 60 },
  // Ordinary use must never notice: ≥ 100 requests per second in bursts.
  send: { burst: 300, perSecond: 150 },
  read: { burst: 600, perSecond: 300 },
  revoke: { burst: 300, perSecond: 150 },
} satisfies Record<string, Limit>;

export type LimitKind = keyof typeof LIMITS;

/** Takes one token of `kind` for `key` from the limiter given (the context's), or throws 429. */
export function takeToken(l: RateLimiter, kind: LimitKind, key: string) {
  l.take(`${kind}:${key}`, LIMITS[kind]);
}

export function rateLimit(kind: LimitKind, key: string) {
  takeToken(limiter(), kind, key);
}

/** The client address as the custom server saw it (never a client-supplied header). */
export function clientAddress(headers: Headers): string {
  return headers.get("x-imdesk-remote-addr") ?? "unknown";
}
