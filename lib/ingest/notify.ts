import { nowDate } from "@/lib/clock";
import { CHANNEL_TYPE, type ImMessageKind } from "@/lib/contracts/enums";
import type { Tx } from "@/lib/db/client";
import { ensureChannels, ensureMembers } from "@/lib/db/queries/channels";
import { forgetImMessages, listSeenImMessageIds, recordImMessages } from "@/lib/db/queries/im-messages";
import { insertImChatMessages } from "@/lib/db/queries/messages";
import { advanceCursors } from "@/lib/db/queries/receipts";
import { ensureImUsers } from "@/lib/db/queries/users";
import { findUnsafeJson } from "@/lib/util/json-guard";
import { channelKey, personMembers } from "@/lib/wukongim/channel-key";
import { decodePayload, type ImMessage, messageRespSchema } from "@/lib/wukongim/schemas";
import { emptyResult, type IngestResult } from "./result";

interface Classified {
  m: ImMessage;
  payload: Record<string, unknown> | null;
  kind: ImMessageKind;
  channelId: string;
}

/**
 * msg.notify: a batch (re-delivered whole on failure). Chat messages enter
 * history once per message_id with WuKongIM's id and seq; CMD (sync_once=1)
 * and no_persist messages are recorded as seen, never as history.
 */
export async function ingestNotify(tx: Tx, body: unknown): Promise<IngestResult> {
  const result = emptyResult();
  const items = Array.isArray(body) ? body : [body];
  result.total = items.length;
  const fresh = await unseen(tx, validate(items, result), result);
  const recorded = await record(tx, classify(fresh, result), result);
  result.cmd = recorded.filter((c) => c.kind === "cmd").length;
  const chats = recorded.filter((c) => c.kind === "chat");
  result.chat = chats.length;
  if (chats.length) await storeChats(tx, chats, result);
  result.accepted = result.total - result.duplicate - result.rejected;
  return result;
}

/** Each item on its own: one bad item (unsafe text, deep nesting, a wrong field) is rejected and the others kept. */
function validate(items: unknown[], result: IngestResult): ImMessage[] {
  const valid: ImMessage[] = [];
  items.forEach((item, i) => {
    const unsafe = findUnsafeJson(item);
    const parsed = unsafe ? null : messageRespSchema.safeParse(item);
    if (parsed?.success) {
      valid.push(parsed.data);
      return;
    }
    result.rejected++;
    result.errors.push(`item ${i}: ${unsafe ?? parsed?.error?.issues.map((x) => `${x.path.join(".") || "item"} ${x.message}`).join("; ")}`);
  });
  return valid;
}

/** Drops repeats within the batch and messages an earlier delivery brought. */
async function unseen(tx: Tx, valid: ImMessage[], result: IngestResult) {
  const unique = [...new Map(valid.map((m) => [m.messageId, m])).values()];
  const seen = await listSeenImMessageIds({ db: tx, ids: unique.map((m) => m.messageId) });
  const fresh = unique.filter((m) => !seen.has(m.messageId));
  result.duplicate += valid.length - fresh.length;
  return fresh;
}

/** Chat, CMD or not persisted; a chat message must carry content we can store (a CMD's payload is kept only when storable). */
function classify(fresh: ImMessage[], result: IngestResult): Classified[] {
  const classified = fresh.map((m): Classified => {
    const kind: ImMessageKind = m.syncOnce ? "cmd" : m.noPersist || m.messageSeq === 0 ? "no_persist" : "chat";
    return { m, payload: decodePayload(m.payloadBase64), kind, channelId: channelKey(m) };
  });
  const unstorable = (c: Classified) => c.kind === "chat" && (!c.payload || !c.m.sentAt);
  for (const c of classified.filter(unstorable)) {
    result.rejected++;
    result.errors.push(
      c.payload
        ? `message ${c.m.messageId}: no send time (timestamp ${c.m.timestamp}, and the id encodes no plausible time)`
        : `message ${c.m.messageId}: payload is not base64 of a storable JSON object`,
    );
  }
  return classified.filter((c) => !unstorable(c));
}

/** Records every kept message as seen, once (a concurrent delivery of the same batch loses the race). */
async function record(tx: Tx, keep: Classified[], result: IngestResult) {
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
  return keep.filter((c) => recorded.has(c.m.messageId));
}

/** Chat messages into history: their people, channels and memberships first, then the rows, then the senders' read cursors. */
async function storeChats(tx: Tx, chats: Classified[], result: IngestResult) {
  const people = new Set<string>();
  for (const c of chats) {
    if (c.m.fromUid) people.add(c.m.fromUid);
    if (c.m.channelType === CHANNEL_TYPE.person) for (const uid of personMembers(c.channelId)) people.add(uid);
  }
  await ensureImUsers({ db: tx, uids: [...people] });
  const created = await ensureChannels({
    db: tx,
    channels: [...new Map(chats.map((c) => [c.channelId, { channelId: c.channelId, channelType: c.m.channelType }])).values()],
  });
  await ensureMembers({ db: tx, members: membershipsOf(chats, created) });
  // Each message's row, built once: inserted, then announced as stored (#22: not read back).
  const rows = new Map(
    chats.map((c) => [
      c.m.messageId,
      {
        channelId: c.channelId,
        messageSeq: c.m.messageSeq,
        messageId: c.m.messageId,
        clientMsgNo: c.m.clientMsgNo || c.m.messageId,
        fromUid: c.m.fromUid,
        channelType: c.m.channelType,
        // Never 1970: main's messagesync answers timestamp 0, and the id carries the time (send-time.ts).
        sentAt: c.m.sentAt as Date,
        payload: c.payload,
      },
    ]),
  );
  const { inserted, receiptsEnabled } = await insertImChatMessages({
    db: tx,
    rows: [...rows.values()].map((r) => ({ ...r, seq: r.messageSeq })),
  });
  // The message id is a WuKongIM message's identity (v2 may reuse a client_msg_no), so the
  // only clash left is a seq already held by another message: refuse the newcomer, and
  // forget it so a corrected delivery is accepted.
  const clashed = chats.filter((c) => !inserted.has(c.m.messageId));
  if (clashed.length) {
    await forgetImMessages({ db: tx, ids: clashed.map((c) => c.m.messageId) });
    for (const c of clashed)
      result.errors.push(`message ${c.m.messageId}: seq ${c.m.messageSeq} of ${c.channelId} is held by another message`);
    result.rejected += clashed.length;
    result.chat -= clashed.length;
  }
  const stored = chats.filter((c) => inserted.has(c.m.messageId));
  result.newChat = [...rows.values()]
    .filter((r) => inserted.has(r.messageId))
    .map((r) => ({
      ...r,
      revokedBy: inserted.get(r.messageId)?.revokedBy ?? null,
      revokedAt: inserted.get(r.messageId)?.revokedAt ?? null,
    }));
  result.receiptsEnabled = receiptsEnabled;
  result.cursorMoves = (await advanceCursors({ db: tx, reads: senderReads(stored), at: nowDate() })).filter((m) => m.moved);
}

/** Who belongs to each channel: a person chat's two people, a group's senders; joined from before their first message here. */
function membershipsOf(chats: Classified[], created: Set<string>) {
  const members = new Map<string, { channelId: string; uid: string; joinedSeq: number }>();
  for (const c of chats) {
    const joinedSeq = created.has(c.channelId) ? 0 : Math.max(0, c.m.messageSeq - 1);
    const uids = c.m.channelType === CHANNEL_TYPE.person ? personMembers(c.channelId) : [c.m.fromUid];
    for (const uid of uids.filter(Boolean)) {
      const key = `${c.channelId}\u0000${uid}`;
      const prev = members.get(key);
      if (!prev || prev.joinedSeq > joinedSeq) members.set(key, { channelId: c.channelId, uid, joinedSeq });
    }
  }
  return [...members.values()];
}

/** The sender has read up to their own message. */
function senderReads(stored: Classified[]) {
  const reads = new Map<string, { channelId: string; uid: string; seq: number }>();
  for (const c of stored) {
    if (!c.m.fromUid) continue;
    const key = `${c.channelId}\u0000${c.m.fromUid}`;
    reads.set(key, { channelId: c.channelId, uid: c.m.fromUid, seq: Math.max(reads.get(key)?.seq ?? 0, c.m.messageSeq) });
  }
  return [...reads.values()];
}
