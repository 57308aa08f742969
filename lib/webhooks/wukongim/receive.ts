import { timingSafeEqual, createHash } from "node:crypto";
import { z } from "zod";
import { toWireMessage } from "@/lib/chat/to-wire";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { getMergedMessagesByIds, type MessageWithRevoke } from "@/lib/db/queries/messages";
import { getWebhookEvent, insertWebhookEvent } from "@/lib/db/queries/webhooks";
import { ApiError } from "@/lib/errors";
import { pushProvider } from "@/lib/push/provider";
import { emitToChannel, notifyAdmins } from "@/lib/realtime/io";
import { announceRead } from "@/lib/receipts/announce";
import { countsFor } from "@/lib/receipts/counts";
import { type IngestResult, ingestNotify, ingestOffline, ingestOnlineStatus } from "./ingest";
import { parseJsonKeepingBigInts } from "./parse-json";
import { readBodyText } from "@/lib/api/body";

export const WEBHOOK_EVENTS = ["msg.notify", "msg.offline", "user.onlinestatus"] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;
// What the delivery log keeps of a body; replay needs a body kept whole.
const STORED_BODY_BYTES = 1024 * 1024;

/** Text columns cannot hold NUL or lone surrogates; what we log of a hostile body is made storable. */
const sanitize = <T extends string | null>(s: T): T => (s === null ? s : (s.replaceAll("\u0000", "\uFFFD").toWellFormed() as T));

/** WuKongIM sends no signature: the secret is in the path. Compared in constant time. */
export function checkWebhookSecret(given: string) {
  const expected = process.env.WEBHOOK_SECRET;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  if (!expected || !timingSafeEqual(digest(given), digest(expected))) {
    throw new ApiError("invalid_secret", "Unknown webhook address.");
  }
}

export interface DeliveryAnswer {
  status: "accepted" | "duplicate" | "rejected";
  event_id: string;
  accepted: number;
  duplicate: number;
  rejected: number;
}

/**
 * One delivery: parsed exactly (int64 ids never become JS numbers), applied
 * and recorded in one transaction — so it is durable before the 200 — then
 * announced. A body that is not JSON is recorded as rejected and answered 400;
 * invalid items in a good batch are recorded as rejected and the rest kept.
 */
export async function processDelivery({ event, raw, replayOf }: { event: string | null; raw: string; replayOf?: number }): Promise<DeliveryAnswer> {
  const bytes = Buffer.byteLength(raw);
  // Text columns cannot hold NUL (never valid in JSON text anyway).
  const stored = sanitize(bytes > STORED_BODY_BYTES ? raw.slice(0, STORED_BODY_BYTES) : raw);
  const eventName = sanitize((event ?? "").slice(0, 64));
  const record = (tx: Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0], status: DeliveryAnswer["status"], r: Partial<IngestResult>, error?: string) =>
    insertWebhookEvent({
      db: tx,
      event: {
        event: eventName,
        status,
        error: sanitize(error ?? (r.errors?.length ? r.errors.slice(0, 50).join("\n").slice(0, 8000) : null)),
        body: stored,
        bodyBytes: bytes,
        bodyTruncated: bytes > STORED_BODY_BYTES,
        itemsTotal: r.total ?? 0,
        itemsAccepted: r.accepted ?? 0,
        itemsDuplicate: r.duplicate ?? 0,
        itemsRejected: r.rejected ?? 0,
        chatCount: r.chat ?? 0,
        cmdCount: r.cmd ?? 0,
        replayOf: replayOf ?? null,
      },
    });

  const refuse = async (error: ApiError) => {
    await db().transaction((tx) => record(tx, "rejected", { total: 0 }, error.message));
    throw error;
  };
  if (!event || !(WEBHOOK_EVENTS as readonly string[]).includes(event)) {
    return refuse(new ApiError("invalid_request", `Unknown event ${JSON.stringify(event)}: expected one of ${WEBHOOK_EVENTS.join(", ")}.`));
  }
  let body: unknown;
  try {
    body = parseJsonKeepingBigInts(raw);
  } catch {
    return refuse(new ApiError("invalid_json", "The body is not valid JSON."));
  }
  // Unsafe text or nesting is judged per item by the ingesters: one poisoned item must not cost the batch.

  const { result, row } = await db().transaction(async (tx) => {
    const name = event as WebhookEventName;
    const r = name === "msg.notify" ? await ingestNotify(tx, body) : name === "msg.offline" ? await ingestOffline(tx, body) : await ingestOnlineStatus(tx, body);
    const status: DeliveryAnswer["status"] = r.accepted > 0 ? "accepted" : r.duplicate > 0 ? "duplicate" : r.rejected > 0 ? "rejected" : "accepted";
    return { result: r, row: await record(tx, status, r) };
  });

  await announce(result);
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

/** After the commit: new chat messages to their channels' sockets, cursor moves, pushes. */
async function announce(result: IngestResult) {
  const window = config().REVOKE_WINDOW_SECONDS;
  const rows = await getMergedMessagesByIds({ db: db(), messageIds: result.newChat.map((m) => m.messageId) });
  const byChannel = new Map<string, MessageWithRevoke[]>();
  for (const r of rows) byChannel.set(r.channel_id, [...(byChannel.get(r.channel_id) ?? []), r]);
  for (const [channelId, list] of byChannel) {
    const counts = await countsFor({ channelId, rows: list });
    for (const row of list) {
      emitToChannel(channelId, "message:new", toWireMessage(row, { revokeWindowSeconds: window, counts: counts.get(Number(row.message_seq)) }));
    }
  }
  for (const move of result.cursorMoves) announceRead(move, { countsChanged: true });
  for (const n of result.pushed) await pushProvider().push(n);
}

export async function receiveWebhook({ secret, event, req }: { secret: string; event: string | null; req: Request }) {
  checkWebhookSecret(secret);
  const raw = await readBodyText(req, MAX_WEBHOOK_BYTES);
  return processDelivery({ event, raw });
}

export const replayParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** Re-processes a stored delivery; idempotent by construction (everything is keyed by message). */
export async function replayDelivery(id: number) {
  const event = await getWebhookEvent({ db: db(), id });
  if (!event) throw new ApiError("not_found", `No webhook delivery ${id}.`);
  if (event.bodyTruncated) throw new ApiError("conflict", "This delivery's body was too large to keep whole; it cannot be replayed.");
  return processDelivery({ event: event.event, raw: event.body, replayOf: id });
}

/** Messages fetched from WuKongIM's API (MessageResp shape) enter history exactly as msg.notify would bring them. */
export async function storeFetchedMessages(items: unknown[]) {
  if (items.length === 0) return;
  const result = await db().transaction((tx) => ingestNotify(tx, items));
  await announce(result);
}
