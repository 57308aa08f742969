import type { z } from "zod";
import { advanceClock, clockOffsetMs, now, resetClock, setClock } from "@/lib/clock";
import type { clockBodySchema } from "@/lib/contracts/testing";
import type { Deps } from "@/lib/shared/context";

export function clockAnswer() {
  const ms = now();
  return { now: new Date(ms).toISOString(), now_ms: ms, offset_ms: clockOffsetMs() };
}

/** POST /api/test/clock: move the one clock; open pages follow at once (`test:clock`), so the UI and the rules agree. */
export function changeClock(ctx: Deps<"io">, change: z.infer<typeof clockBodySchema>) {
  if ("advance_ms" in change) advanceClock(change.advance_ms);
  else if ("set" in change) setClock(Date.parse(change.set));
  else resetClock();
  const answer = clockAnswer();
  ctx.io()?.emit("test:clock", { now_ms: answer.now_ms, offset_ms: answer.offset_ms });
  return answer;
}
