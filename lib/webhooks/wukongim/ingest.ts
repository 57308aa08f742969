import type { Tx } from "@/lib/db/client";
import {
  ensureChannels,
  ensureImUsers,
  ensureMembers,
  forgetImMessages,
  insertImChatMessages,
  insertPushNotifications,
  isRevokedMessage,
  listSeenImMessageIds,
  recordImMessages,
  upsertPresence,
} from "@/lib/db/queries/webhooks";
import { advanceCursors, type CursorMove } from "@/lib/db/queries/receipts";
import type { PushNotification } from "@/lib/push/provider";
import { pushProvider } from "@/lib/push/provider";
import { channelKey, personMembers } from "./channel-key";
import { decodePayload, type ImMessage, messageRespSchema, offlineSchema, parseOnlineStatus } from "./schemas";
import type { Queryable } from "@/lib/db/client";
import { findUnsafeJson } from "@/lib/api/json-guard";

export interface IngestResult {
  total: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  chat: number;
  cmd: number;
  errors: string[];
  /** Chat messages that entered history now, to announce after the commit. */
  newChat: { channelId: string; messageId: string }[];
  cursorMoves: CursorMove[];
  pushed: PushNotification[];
}

const empty = (): IngestResult => ({ total: 0, accepted: 0, duplicate: 0, rejected: 0, chat: 0, cmd: 0, errors: [], newChat: [], cursorMoves: [], pushed: [] });

/** Each item on its own: one bad item (unsafe text, deep nesting, a wrong field) is rejected and the others kept. */
function validate(items: unknown[], result: IngestResult): ImMessage[] {
  const valid: ImMessage[] = [];
  items.forEach((item, i) => {
    const unsafe = findUnsafeJson(item);
    if (unsafe) {
      result.rejected++;
      result.errors.push(`item ${i}: ${unsafe}`);
      return;
    }
    const parsed = messageRespSchema.safeParse(item);
    if (parsed.success) valid.push(parsed.data);
    else {
      result.rejected++;
      result.errors.push(`item ${i}: ${parsed.error.issues.map((x) => `${x.path.join(".") || "item"} ${x.message}`).join("; ")}`);
    }
  });
  return valid;
}

/**
 * msg.notify: a batch (re-delivered whole on failure). Chat messages enter
 * history once per message_id with WuKongIM's id and seq; CMD (sync_once=1)
 * and no_persist messages are recorded as seen, never as history.
 */
export async function ingestNotify(tx: Tx, body: unknown): Promise<IngestResult> {
  const result = empty();
  const items = Array.isArray(body) ? body : [body];
  result.total = items.length;
  const valid = validate(items, result);
  const unique = [...new Map(valid.map((m) => [m.messageId, m])).values()];
  result.duplicate += valid.length - unique.length;
  const seen = await listSeenImMessageIds({ db: tx, ids: unique.map((m) => m.messageId) });
  const fresh = unique.filter((m) => !seen.has(m.messageId));
  result.duplicate += unique.length - fresh.length;

  const classified = fresh.map((m) => {
    const payload = decodePayload(m.payloadBase64);
    const kind = m.syncOnce ? "cmd" : m.noPersist || m.messageSeq === 0 ? "no_persist" : "chat";
    return { m, payload, kind, channelId: channelKey(m) } as const;
  });
  // A chat message must carry content we can store; a CMD's payload is kept only when it is storable JSON.
  const undecodable = classified.filter((c) => c.kind === "chat" && !c.payload);
  for (const c of undecodable) {
    result.rejected++;
    result.errors.push(`message ${c.m.messageId}: payload is not base64 of a storable JSON object`);
  }
  const keep = classified.filter((c) => !(c.kind === "chat" && !c.payload));
  const recorded = await recordImMessages({
    db: tx,
    items: keep.map((c) => ({
      messageId: c.m.messageId,
      kind: c.kind,
      channelId: c.channelId,
      channelType: c.m.channelType,
      fromUid: c.m.fromUid,
      messageSeq: c.m.messageSeq,
      payload: c.payload,
    })),
  });
  result.duplicate += keep.length - recorded.size;
  const now = keep.filter((c) => recorded.has(c.m.messageId));
  result.cmd = now.filter((c) => c.kind === "cmd").length;
  const chats = now.filter((c) => c.kind === "chat");
  result.chat = chats.length;

  if (chats.length) {
    const people = new Set<string>();
    for (const c of chats) {
      if (c.m.fromUid) people.add(c.m.fromUid);
      if (c.m.channelType === 1) for (const uid of personMembers(c.channelId)) people.add(uid);
    }
    await ensureImUsers({ db: tx, uids: [...people] });
    const created = await ensureChannels({ db: tx, channels: [...new Map(chats.map((c) => [c.channelId, { channelId: c.channelId, channelType: c.m.channelType }])).values()] });
    const members = new Map<string, { channelId: string; uid: string; joinedSeq: number }>();
    for (const c of chats) {
      const joinedSeq = created.has(c.channelId) ? 0 : Math.max(0, c.m.messageSeq - 1);
      const uids = c.m.channelType === 1 ? personMembers(c.channelId) : [c.m.fromUid];
      for (const uid of uids.filter(Boolean)) {
        const key = `${c.channelId}\u0000${uid}`;
        const prev = members.get(key);
        if (!prev || prev.joinedSeq > joinedSeq) members.set(key, { channelId: c.channelId, uid, joinedSeq });
      }
    }
    await ensureMembers({ db: tx, members: [...members.values()] });
    const inserted = await insertImChatMessages({
      db: tx,
      rows: chats.map((c) => ({
        channelId: c.channelId,
        seq: c.m.messageSeq,
        messageId: c.m.messageId,
        clientMsgNo: c.m.clientMsgNo || c.m.messageId,
        fromUid: c.m.fromUid,
        channelType: c.m.channelType,
        sentAt: new Date(c.m.timestamp * 1000),
        payload: c.payload,
      })),
    });
    // The message id is a WuKongIM message's identity (v2 may reuse a client_msg_no), so the
    // only clash left is a seq already held by another message: refuse the newcomer, and
    // forget it so a corrected delivery is accepted.
    const clashed = chats.filter((c) => !inserted.has(c.m.messageId));
    if (clashed.length) {
      await forgetImMessages({ db: tx, ids: clashed.map((c) => c.m.messageId) });
      for (const c of clashed) result.errors.push(`message ${c.m.messageId}: seq ${c.m.messageSeq} of ${c.channelId} is held by another message`);
      result.rejected += clashed.length;
      result.chat -= clashed.length;
    }
    const stored = chats.filter((c) => inserted.has(c.m.messageId));
    result.newChat = stored.map((c) => ({ channelId: c.channelId, messageId: c.m.messageId }));
    // The sender has read up to their own message.
    const reads = new Map<string, { channelId: string; uid: string; seq: number }>();
    for (const c of stored) {
      if (!c.m.fromUid) continue;
      const key = `${c.channelId}\u0000${c.m.fromUid}`;
      reads.set(key, { channelId: c.channelId, uid: c.m.fromUid, seq: Math.max(reads.get(key)?.seq ?? 0, c.m.messageSeq) });
    }
    result.cursorMoves = (await advanceCursors({ db: tx, reads: [...reads.values()] })).filter((m) => m.moved);
  }
  result.accepted = result.total - result.duplicate - result.rejected;
  return result;
}

/**
 * msg.offline: one message and the uids without a master-device connection.
 * One decision per (message, uid), idempotent: chat → push, CMD → no push,
 * already recalled → suppressed.
 */
export async function ingestOffline(tx: Tx, body: unknown): Promise<IngestResult> {
  const result = empty();
  result.total = 1;
  const unsafe = findUnsafeJson(body);
  if (unsafe) {
    result.rejected = 1;
    result.errors.push(unsafe);
    return result;
  }
  const message = messageRespSchema.safeParse(body);
  const extra = offlineSchema.safeParse(body);
  if (!message.success || !extra.success) {
    result.rejected = 1;
    const issues = [...(message.error?.issues ?? []), ...(extra.error?.issues ?? [])];
    result.errors.push(issues.map((x) => `${x.path.join(".") || "body"} ${x.message}`).join("; "));
    return result;
  }
  const m = message.data;
  const kind = m.syncOnce ? "cmd" : "chat";
  const revoked = kind === "chat" && (await isRevokedMessage({ db: tx, messageId: m.messageId }));
  const decision = kind === "cmd" ? "no_push_cmd" : revoked ? "suppressed_revoked" : "push";
  const rows = extra.data.toUids.map((uid) => ({
    messageId: m.messageId,
    uid,
    channelId: channelKey(m),
    kind,
    decision,
    provider: pushProvider().name,
  })) satisfies Parameters<typeof insertPushNotifications>[0]["rows"];
  const inserted = await insertPushNotifications({ db: tx, rows });
  result[kind] = 1;
  if (inserted.length === 0 && rows.length > 0) result.duplicate = 1;
  else result.accepted = 1;
  result.pushed = inserted.filter((n) => n.decision === "push");
  return result;
}

/** user.onlinestatus: status strings, 6-part or the legacy 3-part, into the presence table. */
export async function ingestOnlineStatus(db: Queryable, body: unknown): Promise<IngestResult> {
  const result = empty();
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
