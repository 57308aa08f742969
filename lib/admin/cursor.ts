import { ApiError } from "@/lib/errors";

/** Opaque keyset cursors for admin lists: base64url of a small JSON tuple. */
export function encodeCursor(values: (string | number)[]): string {
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
