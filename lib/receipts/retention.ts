import { purgeReadEvents } from "@/lib/db/queries/receipts";
import type { Deps } from "@/lib/shared/context";

const HOUR = 60 * 60 * 1000;

/**
 * Read events are non-core data (docs/background.md § 3): those older than
 * RECEIPT_EVENTS_RETENTION_DAYS are deleted hourly. Cursors are untouched, so
 * counts stay exact; only "read at" times of old reads fall back to the cursor's.
 */
export function startReadEventRetention(ctx: Deps<"db" | "config" | "now">): () => void {
  const purge = () =>
    purgeReadEvents({ db: ctx.db(), olderThanDays: ctx.config.RECEIPT_EVENTS_RETENTION_DAYS, at: new Date(ctx.now()) }).catch((err) =>
      console.error("[imdesk] read event purge failed", err),
    );
  const first = setTimeout(purge, 60_000);
  const every = setInterval(purge, HOUR);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
