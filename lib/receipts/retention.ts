import { nowDate } from "@/lib/clock";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { purgeReadEvents } from "@/lib/db/queries/receipts";

const HOUR = 60 * 60 * 1000;

/**
 * Read events are non-core data (the article's advice): those older than
 * RECEIPT_EVENTS_RETENTION_DAYS are deleted hourly. Cursors are untouched, so
 * counts stay exact; only "read at" times of old reads fall back to the cursor's.
 */
export function startReadEventRetention(): () => void {
  const purge = () =>
    purgeReadEvents({ db: db(), olderThanDays: config().RECEIPT_EVENTS_RETENTION_DAYS, at: nowDate() }).catch((err) =>
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
