import { now as clockNow } from "@/lib/clock";

/**
 * When a WuKongIM message was sent. Its `timestamp` (seconds) is the answer,
 * except where WuKongIM leaves it out: main's `/channel/messagesync` answers
 * `"timestamp": 0`. Both lines make message ids with bwmarrin/snowflake at its
 * default layout (Twitter epoch, 41 bits of milliseconds above 10 node bits
 * and 12 sequence bits; main: internal/app/app.go nodeMessageIDs, v2:
 * internal/options), and main never issues an id ahead of its clock, so the
 * id itself carries the send time to the millisecond.
 */
const SNOWFLAKE_EPOCH_MS = 1_288_834_974_657n;
// Nothing WuKongIM sends predates 2015 (its first release); a day ahead covers clock skew.
const EARLIEST_MS = Date.UTC(2015, 0, 1);
const AHEAD_MS = 24 * 3600 * 1000;

/** The send time a WuKongIM snowflake id encodes, in ms. */
export function snowflakeTimeMs(messageId: string): number {
  return Number((BigInt(messageId) >> 22n) + SNOWFLAKE_EPOCH_MS);
}

/** The message's send time: its timestamp when plausible, else its id's; null when neither can be believed. */
export function sendTimeOf(m: { timestamp: number; messageId: string }, now = clockNow()): Date | null {
  const plausible = (ms: number) => ms >= EARLIEST_MS && ms <= now + AHEAD_MS;
  if (plausible(m.timestamp * 1000)) return new Date(m.timestamp * 1000);
  const fromId = snowflakeTimeMs(m.messageId);
  return plausible(fromId) ? new Date(fromId) : null;
}
