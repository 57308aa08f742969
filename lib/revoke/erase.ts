import { config } from "@/lib/config";
import type { Queryable } from "@/lib/db/client";
import { eraseImMessagePayload } from "@/lib/db/queries/im-messages";
import { erasePayload } from "@/lib/db/queries/messages";
import { listRevokedAmong } from "@/lib/db/queries/revocations";
import { listWebhookBodiesMentioning, setWebhookEventBody } from "@/lib/db/queries/webhook-events";

/**
 * REVOKE_RETAIN_CONTENT=false: a recalled message's content leaves every copy
 * imdesk keeps — the message row, the IM copy (im_messages), and the raw
 * webhook bodies that carried it (only that item's payload is blanked; the
 * rest of the delivery stays for the audit). Push records and the revocation
 * CSV never hold content. Runs in the revoke's transaction.
 */
export async function eraseRecalledContent({
  db,
  channelId,
  seq,
  messageId,
}: {
  db: Queryable;
  channelId: string;
  seq: number;
  messageId: string;
}) {
  if (config().REVOKE_RETAIN_CONTENT) return;
  await erasePayload({ db, channelId, seq });
  await eraseImMessagePayload({ db, messageId });
  for (const event of await listWebhookBodiesMentioning({ db, messageId })) {
    const body = redactDeliveryBody(event.body, new Set([messageId]));
    if (body !== event.body) await setWebhookEventBody({ db, id: event.id, body });
  }
}

/**
 * A webhook body with the payload of every item about one of `messageIds`
 * blanked (`"payload":""`), in place: nothing else of the text changes, so
 * int64 ids keep their digits and the audit its shape. Works on the bodies the
 * log keeps truncated too (the last item may be cut off).
 */
export function redactDeliveryBody(raw: string, messageIds: Set<string>): string {
  if (messageIds.size === 0) return raw;
  const mentions = [...messageIds].map((id) => new RegExp(`(?<![\\w+/])${id.replace(/\D/g, "")}(?![\\w+/=])`));
  let out = "";
  let last = 0;
  for (const [start, end] of itemRanges(raw)) {
    const item = raw.slice(start, end);
    if (!mentions.some((m) => m.test(item))) continue;
    out += raw.slice(last, start) + item.replace(/"payload"\s*:\s*"(?:[^"\\]|\\.)*(?:"|$)/g, '"payload":""');
    last = end;
  }
  return last === 0 ? raw : out + raw.slice(last);
}

/** Where each item of a delivery is: the objects of a top-level array, or the one top-level object. */
function itemRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  const array = text.trimStart().startsWith("[");
  const itemDepth = array ? 2 : 1;
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      depth++;
      if (depth === itemDepth && c === "{") start = i;
    } else if (c === "}" || c === "]") {
      if (depth === itemDepth && c === "}" && start >= 0) {
        ranges.push([start, i + 1]);
        start = -1;
      }
      depth--;
    }
  }
  // A body the log truncated: its last item runs to the end.
  if (start >= 0) ranges.push([start, text.length]);
  return ranges;
}

/**
 * A delivery arriving after its message was recalled (WuKongIM re-delivers)
 * is logged already redacted, when content is not retained.
 */
export async function redactRecalledItems(db: Queryable, raw: string): Promise<string> {
  if (config().REVOKE_RETAIN_CONTENT) return raw;
  const ids = [...new Set(Array.from(raw.matchAll(/"message_id(?:str)?"\s*:\s*"?(\d{1,20})/g), (m) => m[1]))];
  return redactDeliveryBody(raw, await listRevokedAmong({ db, messageIds: ids }));
}
