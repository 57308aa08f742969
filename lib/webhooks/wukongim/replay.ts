import { z } from "zod";
import { getWebhookEvent } from "@/lib/db/queries/webhook-events";
import { ApiError } from "@/lib/errors";
import type { AnnounceDeps } from "@/lib/shared/announce-messages";
import { processDelivery } from "./delivery";

export const replayParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** Re-processes a stored delivery; idempotent by construction (everything is keyed by message). */
export async function replayDelivery(ctx: AnnounceDeps, id: number) {
  const event = await getWebhookEvent({ db: ctx.db(), id });
  if (!event) throw new ApiError("not_found", `No webhook delivery ${id}.`);
  if (event.bodyTruncated) throw new ApiError("conflict", "This delivery's body was too large to keep whole; it cannot be replayed.");
  return processDelivery(ctx, { event: event.event, raw: event.body, replayOf: id });
}
