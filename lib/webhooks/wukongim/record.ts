import type { WebhookStatus } from "@/lib/contracts/enums";
import type { Tx } from "@/lib/db/client";
import { insertWebhookEvent } from "@/lib/db/queries/webhook-events";
import type { IngestResult } from "@/lib/ingest/result";
import { redactRecalledItems } from "@/lib/revoke/erase";

// What the delivery log keeps of a body; replay needs a body kept whole.
const STORED_BODY_BYTES = 1024 * 1024;

/** Text columns cannot hold NUL or lone surrogates; what we log of a hostile body is made storable. */
const storable = <T extends string | null>(s: T): T => (s === null ? s : (s.replaceAll("\u0000", "\uFFFD").toWellFormed() as T));

/** One row of the delivery log: the body as received (up to 1 MiB), what became of its items, and why some were refused. */
export async function recordDelivery(
  tx: Tx,
  d: { event: string | null; raw: string; replayOf?: number },
  status: WebhookStatus,
  r: Partial<IngestResult>,
  error?: string,
) {
  const bytes = Buffer.byteLength(d.raw);
  const kept = await redactRecalledItems(tx, bytes > STORED_BODY_BYTES ? d.raw.slice(0, STORED_BODY_BYTES) : d.raw);
  return insertWebhookEvent({
    db: tx,
    event: {
      event: storable((d.event ?? "").slice(0, 64)),
      status,
      error: storable(error ?? (r.errors?.length ? r.errors.slice(0, 50).join("\n").slice(0, 8000) : null)),
      body: storable(kept),
      bodyBytes: bytes,
      bodyTruncated: bytes > STORED_BODY_BYTES,
      itemsTotal: r.total ?? 0,
      itemsAccepted: r.accepted ?? 0,
      itemsDuplicate: r.duplicate ?? 0,
      itemsRejected: r.rejected ?? 0,
      chatCount: r.chat ?? 0,
      cmdCount: r.cmd ?? 0,
      replayOf: d.replayOf ?? null,
    },
  });
}
