import { type SQL, sql } from "drizzle-orm";

/**
 * A timestamp as text with all six fractional digits, for keyset cursors: a
 * JS Date keeps milliseconds only, and a cursor rounded to them skips rows
 * that share the millisecond.
 */
export const exactTimestamp = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
