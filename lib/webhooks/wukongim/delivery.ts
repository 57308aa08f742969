import type { IncomingMessage } from "node:http";
import { WEBHOOK_EVENTS, type WebhookEvent, type WebhookStatus } from "@/lib/contracts/enums";
import type { Tx } from "@/lib/db/client";
import { ApiError } from "@/lib/errors";
import { announceIngested } from "@/lib/ingest/announce-ingested";
import { ingestNotify } from "@/lib/ingest/notify";
import { ingestOffline } from "@/lib/ingest/offline";
import { ingestOnlineStatus } from "@/lib/ingest/online-status";
import type { IngestResult } from "@/lib/ingest/result";
import { notifyAdmins } from "@/lib/realtime/io";
import type { AnnounceDeps } from "@/lib/shared/announce-messages";
import { readBodyText } from "@/lib/util/read-body";
import { parseJsonKeepingBigInts } from "@/lib/wukongim/json";
import { recordDelivery } from "./record";
import { checkWebhookSecret } from "./secret";

const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

export interface DeliveryAnswer {
  status: WebhookStatus;
  event_id: string;
  accepted: number;
  duplicate: number;
  rejected: number;
}

const INGEST: Record<WebhookEvent, (tx: Tx, body: unknown) => Promise<IngestResult>> = {
  "msg.notify": ingestNotify,
  "msg.offline": ingestOffline,
  "user.onlinestatus": ingestOnlineStatus,
};

/** `POST /api/webhooks/wukongim/{secret}?event=`: the secret, then a body of at most 5 MB, then the delivery. */
export async function receiveWebhook(
  ctx: AnnounceDeps,
  { secret, event, req, node }: { secret: string; event: string | null; req: Request; node?: IncomingMessage },
) {
  checkWebhookSecret(secret);
  const raw = await readBodyText(req, MAX_WEBHOOK_BYTES, node);
  return processDelivery(ctx, { event, raw });
}

/**
 * One delivery: parsed exactly (int64 ids never become JS numbers), applied
 * and recorded in one transaction — so it is durable before the 200 — then
 * announced. A body that is not JSON is recorded as rejected and answered 400;
 * invalid items (unsafe text, deep nesting, wrong fields) are judged one by
 * one, recorded as rejected, and the rest kept.
 */
export async function processDelivery(
  ctx: AnnounceDeps,
  d: { event: string | null; raw: string; replayOf?: number },
): Promise<DeliveryAnswer> {
  const refuse = async (error: ApiError): Promise<never> => {
    await ctx.db().transaction((tx) => recordDelivery(tx, d, "rejected", { total: 0 }, error.message));
    throw error;
  };
  const event = d.event as WebhookEvent;
  if (!(WEBHOOK_EVENTS as readonly string[]).includes(event)) {
    return refuse(
      new ApiError("invalid_request", `Unknown event ${JSON.stringify(d.event)}: expected one of ${WEBHOOK_EVENTS.join(", ")}.`),
    );
  }
  let body: unknown;
  try {
    body = parseJsonKeepingBigInts(d.raw);
  } catch {
    return refuse(new ApiError("invalid_json", "The body is not valid JSON."));
  }

  const { result, row } = await ctx.db().transaction(async (tx) => {
    const r = await INGEST[event](tx, body);
    const status: WebhookStatus = r.accepted > 0 ? "accepted" : r.duplicate > 0 ? "duplicate" : r.rejected > 0 ? "rejected" : "accepted";
    return { result: r, row: await recordDelivery(tx, d, status, r) };
  });

  await announceIngested(ctx, result);
  notifyAdmins("webhooks");
  if (event === "msg.offline") notifyAdmins("push");
  if (event === "user.onlinestatus") notifyAdmins("presence");
  return {
    status: row.status,
    event_id: String(row.id),
    accepted: result.accepted,
    duplicate: result.duplicate,
    rejected: result.rejected,
  };
}
