import { constants, gunzipSync } from "node:zlib";
import { z } from "zod";
import { CHANNEL_TYPE } from "@/lib/contracts/enums";
import { findUnsafeJson, unsafeString } from "@/lib/util/json-guard";
import { sendTimeOf } from "@/lib/wukongim/send-time";

const CMD_CHANNEL_SUFFIX = "____cmd";
// The most compress_to_uids may inflate to: 1,000,000 uids of 8 bytes is far beyond any group.
const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

const INT64_MAX = 9223372036854775807n;
// zod runs every check, so this one must not assume the regex passed.
const inInt64 = (digits: string) => /^\d{1,19}$/.test(digits) && BigInt(digits) >= 1n && BigInt(digits) <= INT64_MAX;
/** WuKongIM's ids are positive int64: digits within 1..9223372036854775807, kept as text (never a JS number). */
const int64Digits = z
  .string()
  .regex(/^\d{1,19}$/, "must be an int64 in digits")
  .refine(inInt64, "must be within 1..9223372036854775807");
/** An id that arrives as digits (string from the big-int-safe parse, or a small number) and stays text. */
const int64Id = z.union([int64Digits, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).transform(String)]);
const flag = z.number().int().optional().default(0);
// Never "@" (lib/contracts/ids.ts): it is the separator of person channel ids, never part of a uid.
const uid = z
  .string()
  .max(128)
  .refine((s) => !s.includes("@"), "a uid never contains @");

/** WuKongIM's MessageResp, field for field (docs/wukongim.md). */
export const messageRespSchema = z
  .object({
    header: z.object({ no_persist: flag, red_dot: flag, sync_once: flag }).partial().optional().default({}),
    setting: z.number().int().optional(),
    message_id: int64Id.optional(),
    message_idstr: int64Digits.optional(),
    client_msg_no: z.string().max(128).optional().default(""),
    message_seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    from_uid: uid.optional().default(""),
    channel_id: z.string().min(1).max(256),
    channel_type: z.number().int().min(1).max(255),
    expire: z.number().int().optional(),
    // Seconds; beyond 2100 is not a WuKongIM timestamp.
    timestamp: z.number().int().nonnegative().max(4_102_444_800),
    payload: z.string().max(1_000_000),
  })
  .transform((m, ctx) => {
    const id = m.message_idstr ?? m.message_id;
    if (!id) {
      ctx.addIssue({ code: "custom", message: "message_id missing" });
      return z.NEVER;
    }
    // CMD messages may travel in the channel's companion CMD channel ("g1____cmd", "a@b____cmd").
    const channelId = m.channel_id.endsWith(CMD_CHANNEL_SUFFIX) ? m.channel_id.slice(0, -CMD_CHANNEL_SUFFIX.length) : m.channel_id;
    if (m.channel_type === CHANNEL_TYPE.person) {
      // A person chat needs its two people: the sender (or the system, from_uid ""), and the
      // recipient — or both, in either order, in a fake channel id.
      const parts = channelId.split("@");
      const ok =
        parts.length === 1
          ? channelId !== ""
          : parts.length === 2 && parts.every(Boolean) && (m.from_uid === "" || parts.includes(m.from_uid));
      if (!ok) {
        ctx.addIssue({
          code: "custom",
          message: `person message from ${JSON.stringify(m.from_uid)} to ${JSON.stringify(m.channel_id)} has no two people`,
        });
        return z.NEVER;
      }
    }
    if (m.message_idstr && m.message_id && m.message_idstr !== m.message_id) {
      ctx.addIssue({ code: "custom", message: `message_id ${m.message_id} disagrees with message_idstr ${m.message_idstr}` });
      return z.NEVER;
    }
    return {
      messageId: id,
      clientMsgNo: m.client_msg_no,
      messageSeq: m.message_seq,
      fromUid: m.from_uid,
      channelId,
      channelType: m.channel_type,
      timestamp: m.timestamp,
      sentAt: sendTimeOf({ timestamp: m.timestamp, messageId: id }),
      payloadBase64: m.payload,
      syncOnce: m.header.sync_once === 1,
      noPersist: m.header.no_persist === 1,
      redDot: m.header.red_dot === 1,
    };
  });

export type ImMessage = z.output<typeof messageRespSchema>;

export const offlineSchema = z
  .object({
    to_uids: z.array(uid).nullish(),
    compress: z.string().optional(),
    compress_to_uids: z.string().optional(),
    source_id: z.number().optional(),
  })
  .passthrough()
  .transform((o, ctx) => {
    let toUids = o.to_uids ?? [];
    if (o.compress === "gzip" && o.compress_to_uids) {
      try {
        toUids = z.array(uid).parse(inflateUidList(o.compress_to_uids));
      } catch {
        ctx.addIssue({ code: "custom", message: "compress_to_uids is not base64 gzip of a JSON array of uids" });
        return z.NEVER;
      }
    }
    return { toUids: [...new Set(toUids)] };
  });

/**
 * compress_to_uids as WuKongIM really sends it. v2.2.5 reads its gzip buffer
 * before closing the writer, so the stream has no final block and no trailer:
 * a short list is the bare 10-byte header (`H4sIAAAAAAAA/w==`), a long one
 * its first flushed blocks. So we inflate what is there, as a streaming
 * decoder with a sync flush does, and keep every uid whose string closed; a
 * whole stream decodes as before. maxOutputLength keeps a small gzip bomb
 * from inflating to gigabytes. Throws on what is not gzip of a uid array.
 */
export function inflateUidList(base64: string): string[] {
  const text = gunzipSync(Buffer.from(base64, "base64"), {
    finishFlush: constants.Z_SYNC_FLUSH,
    maxOutputLength: MAX_INFLATED_BYTES,
  }).toString("utf8");
  if (text.trim() === "") return [];
  try {
    const list = JSON.parse(text);
    if (findUnsafeJson(list)) throw new Error("unsafe uids");
    return list;
  } catch (err) {
    if (err instanceof Error && err.message === "unsafe uids") throw err;
  }
  return completeStringsOfTruncatedArray(text);
}

/** The closed strings of a JSON array of strings cut off anywhere (`["a","b","c` → a, b). */
function completeStringsOfTruncatedArray(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf("[");
  if (i < 0 || text.slice(0, i).trim() !== "") throw new Error("not a JSON array");
  i++;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= text.length) return out;
    if (text[i] === "]" && out.length === 0) return out;
    if (text[i] !== '"') throw new Error("not an array of strings");
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
    if (j >= text.length) return out; // the last string was cut: it may be a prefix of a uid
    const value = JSON.parse(text.slice(i, j + 1));
    if (typeof value !== "string" || unsafeString(value)) throw new Error("unsafe uid");
    out.push(value);
    i = j + 1;
    skipSpace();
    if (i >= text.length || text[i] === "]") return out;
    if (text[i] !== ",") throw new Error("not an array of strings");
    i++;
  }
}

/**
 * Decodes the base64 payload into the client's content JSON; null when it is
 * not a JSON object PostgreSQL can store (NUL, lone surrogates, deep nesting).
 */
export function decodePayload(base64: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(base64, "base64").toString("utf8"));
    if (!value || typeof value !== "object" || Array.isArray(value)) return null;
    return findUnsafeJson(value) ? null : value;
  } catch {
    return null;
  }
}

export interface OnlineStatus {
  uid: string;
  deviceFlag: number;
  online: boolean;
  connId: string | null;
  deviceOnlineCount: number | null;
  totalOnlineCount: number | null;
}

/**
 * "uid-deviceFlag-online-connId-deviceOnlineCount-totalOnlineCount" (legacy:
 * "uid-deviceFlag-online"). Parsed from the right, since a uid may contain '-'.
 */
export function parseOnlineStatus(s: unknown): OnlineStatus | null {
  if (typeof s !== "string" || s.length > 300 || unsafeString(s)) return null;
  const parts = s.split("-");
  const numeric = (x: string | undefined) => x !== undefined && /^\d+$/.test(x);
  if (parts.length >= 6 && parts.slice(-5).every(numeric)) {
    const [flagS, onlineS, conn, devCount, total] = parts.slice(-5);
    const uidPart = parts.slice(0, -5).join("-");
    if (!uidPart || !["0", "1"].includes(onlineS)) return null;
    return {
      uid: uidPart,
      deviceFlag: Number(flagS),
      online: onlineS === "1",
      connId: conn,
      deviceOnlineCount: Number(devCount),
      totalOnlineCount: Number(total),
    };
  }
  if (parts.length >= 3 && parts.slice(-2).every(numeric)) {
    const [flagS, onlineS] = parts.slice(-2);
    const uidPart = parts.slice(0, -2).join("-");
    if (!uidPart || !["0", "1"].includes(onlineS)) return null;
    return {
      uid: uidPart,
      deviceFlag: Number(flagS),
      online: onlineS === "1",
      connId: null,
      deviceOnlineCount: null,
      totalOnlineCount: null,
    };
  }
  return null;
}
