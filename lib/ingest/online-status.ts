import type { Queryable } from "@/lib/db/client";
import { upsertPresence } from "@/lib/db/queries/presence";
import { parseOnlineStatus } from "@/lib/wukongim/schemas";
import { emptyResult, type IngestResult } from "./result";

/** user.onlinestatus: status strings, 6-part or the legacy 3-part, into the presence table. */
export async function ingestOnlineStatus(db: Queryable, body: unknown): Promise<IngestResult> {
  const result = emptyResult();
  const items = Array.isArray(body) ? body : [body];
  result.total = items.length;
  const latest = new Map<string, NonNullable<ReturnType<typeof parseOnlineStatus>>>();
  items.forEach((item, i) => {
    const s = parseOnlineStatus(item);
    if (!s) {
      result.rejected++;
      result.errors.push(`item ${i}: not "uid-deviceFlag-online[-connId-deviceOnlineCount-totalOnlineCount]"`);
      return;
    }
    latest.set(`${s.uid}\u0000${s.deviceFlag}`, s);
  });
  await upsertPresence({ db, rows: [...latest.values()] });
  result.accepted = result.total - result.rejected;
  return result;
}
