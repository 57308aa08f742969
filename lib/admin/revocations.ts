import { z } from "zod";
import type { AdminPage, RevocationDetail, RevocationItem } from "@/lib/contracts/admin";
import { REVOKE_RULES } from "@/lib/contracts/enums";
import { getRevocationDetail, listRevocationsPage, type RevocationFilter, type RevocationRow } from "@/lib/db/queries/admin-revocations";
import { ApiError } from "@/lib/errors";
import type { Deps } from "@/lib/shared/context";
import { cursorPart, decodeCursor, keysetPage } from "./cursor";

const optionalText = z.string().trim().min(1).max(256).optional();
const isoInRange = z.iso.datetime({ offset: true }).refine((s) => {
  const y = new Date(s).getUTCFullYear();
  return y >= 1970 && y <= 9999;
}, "a date between 1970 and 9999");

export const revocationsQuerySchema = z.object({
  channel_id: optionalText,
  sender_uid: optionalText,
  revoked_by: optionalText,
  rule: z.enum(REVOKE_RULES).optional(),
  from: isoInRange.optional(),
  to: isoInRange.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type RevocationsQuery = z.infer<typeof revocationsQuerySchema>;

const toFilter = (q: RevocationsQuery): RevocationFilter => ({
  channelId: q.channel_id,
  senderUid: q.sender_uid,
  revokedBy: q.revoked_by,
  rule: q.rule,
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
});

export function toRevocationItem(r: RevocationRow): RevocationItem {
  const sent = new Date(r.sentAt);
  const revoked = new Date(r.revokedAt);
  return {
    message_id: r.messageId,
    channel_id: r.channelId,
    sender_uid: r.senderUid,
    revoked_by: r.revokedBy,
    rule: r.rule,
    reason: r.reason,
    sent_at: sent.toISOString(),
    revoked_at: revoked.toISOString(),
    seconds_between: Math.round((revoked.getTime() - sent.getTime()) / 1000),
  };
}

export async function listRevocations(ctx: Deps<"db">, q: RevocationsQuery): Promise<AdminPage<RevocationItem>> {
  const after = decodeCursor(q.cursor, [cursorPart.timestamp, cursorPart.text, cursorPart.int]);
  const rows = await listRevocationsPage({ db: ctx.db(), filter: toFilter(q), after, limit: q.limit });
  const { page, next_cursor } = keysetPage(rows, q.limit, (last) => [last.revokedKey, last.channelId, last.messageSeq]);
  return {
    items: page.map(toRevocationItem),
    next_cursor,
  };
}

const CSV_COLUMNS = [
  "message_id",
  "channel_id",
  "sender_uid",
  "revoked_by",
  "rule",
  "reason",
  "sent_at",
  "revoked_at",
  "seconds_between",
] as const;

function csvCell(v: unknown) {
  const s = v === null || v === undefined ? "" : String(v);
  // Quote always; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The whole filtered set as CSV, streamed page by page (never loaded at once). */
export function streamRevocationsCsv(ctx: Deps<"db">, q: RevocationsQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const filter = toFilter(q);
  let after: [string, string, number] | undefined;
  let headerSent = false;
  return new ReadableStream({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\n`));
        return;
      }
      const rows = await listRevocationsPage({ db: ctx.db(), filter, after, limit: 1000 });
      const page = rows.slice(0, 1000);
      if (page.length) {
        controller.enqueue(
          encoder.encode(
            page
              .map((r) => {
                const item = toRevocationItem(r);
                return `${CSV_COLUMNS.map((c) => csvCell(item[c])).join(",")}\n`;
              })
              .join(""),
          ),
        );
        const last = page[page.length - 1];
        after = [last.revokedKey, last.channelId, last.messageSeq];
      }
      if (rows.length <= 1000) {
        controller.close();
      }
    },
  });
}

/** One revocation with the retained original content (null when erased by REVOKE_RETAIN_CONTENT=false). */
export async function getRevocation(ctx: Deps<"db">, messageId: string): Promise<RevocationDetail> {
  const r = await getRevocationDetail({ db: ctx.db(), messageId });
  if (!r) throw new ApiError("not_found", `No revocation of message ${messageId}.`);
  return { ...toRevocationItem(r), original_payload: r.payload };
}
