import { ApiError } from "@/lib/errors";

/** Opaque keyset cursors for admin lists: base64url of a small JSON tuple. */
function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor<T extends (string | number)[]>(cursor: string | undefined, shape: ("string" | "number")[]): T | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === shape.length && v.every((x, i) => typeof x === shape[i])) return v as T;
  } catch {}
  throw new ApiError("invalid_request", "cursor: not a cursor this list returned");
}

/** One page of a keyset list fetched with limit + 1: the page, and the cursor after its last row when more follow. */
export function keysetPage<R>(rows: R[], limit: number, keyOf: (last: R) => (string | number)[]) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, next_cursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
