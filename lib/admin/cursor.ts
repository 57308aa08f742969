import { z } from "zod";
import { ApiError } from "@/lib/errors";

/** Opaque keyset cursors for admin lists: base64url of a small JSON tuple. */
function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/**
 * What each part of a cursor may hold. A cursor comes back from the client, so
 * a well-formed tuple can still carry values PostgreSQL refuses (a NUL in
 * text, a string that is no timestamp, 1e300 as an int8): each part is checked
 * here, against what our own lists put there, before it reaches SQL.
 */
export const cursorPart = {
  /** Text keys (uids, channel and message ids): what a text column can hold. */
  text: z
    .string()
    .min(1)
    .max(256)
    .refine((s) => !s.includes("\u0000") && s.isWellFormed(), "not storable text"),
  /** An exact timestamp as our lists write it (fragments.ts exactTimestamp). */
  timestamp: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
    .refine((s) => !Number.isNaN(Date.parse(s)), "not a date"),
  /** A seq or serial id: a non-negative safe integer (int8 columns). */
  int: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
};

export function decodeCursor<T extends [z.ZodType, ...z.ZodType[]]>(
  cursor: string | undefined,
  parts: T,
): z.output<z.ZodTuple<T, null>> | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {}
  const parsed = z.tuple(parts).safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ApiError("invalid_request", "cursor: not a cursor this list returned");
}

/** One page of a keyset list fetched with limit + 1: the page, and the cursor after its last row when more follow. */
export function keysetPage<R>(rows: R[], limit: number, keyOf: (last: R) => (string | number)[]) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, next_cursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
