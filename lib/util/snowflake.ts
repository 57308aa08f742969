import { randomInt } from "node:crypto";
import { now as clockNow } from "@/lib/clock";

// Snowflake layout: 41 bits of milliseconds since EPOCH, 10 bits of worker,
// 12 bits of sequence. Returned as decimal text: it exceeds 2^53.
const EPOCH = 1_704_067_200_000n; // 2024-01-01T00:00:00Z
const worker = BigInt(randomInt(1024));
let lastMs = 0n;
let sequence = 0n;

export function nextMessageId(now: number = clockNow()): string {
  let ms = BigInt(now);
  if (ms < lastMs) ms = lastMs; // the clock stepped back: stay monotonic
  if (ms === lastMs) {
    sequence = (sequence + 1n) & 0xfffn;
    if (sequence === 0n) ms = lastMs + 1n; // 4096 ids in one ms: borrow the next ms
  } else {
    sequence = 0n;
  }
  lastMs = ms;
  return (((ms - EPOCH) << 22n) | (worker << 12n) | sequence).toString();
}
