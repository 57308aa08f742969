import { z } from "zod";
import { db } from "@/lib/db/client";
import { getWebhookEvent } from "@/lib/db/queries/webhook-events";
import { ApiError } from "@/lib/errors";
import { processDelivery } from "./delivery";

export const replayParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** Re-processes a stored delivery; idempotent by construction (everything is keyed by message). */
export async function replayDelivery(id: number) {
  const event = await getWebhookEvent({ db: db(), id });
  if (!event) throw new ApiError("not_found", `No webhook delivery ${id}.`);
  if (event.bodyTruncated) throw new ApiError("conflict", "This delivery's body was too large to keep whole; it cannot be replayed.");
  return processDelivery({ event: event.event, raw: event.body, replayOf: id });
}
