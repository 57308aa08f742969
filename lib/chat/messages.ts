import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { now, nowDate } from "@/lib/clock";
import type { HistoryPage, WireMessage } from "@/lib/contracts/chat";
import { MESSAGE_MAX_CHARS } from "@/lib/contracts/enums";
import {
  allocateSeq,
  getHistoryView,
  getMergedMessageById,
  getMessageByClientMsgNo,
  insertMessage,
  type MessageWithRevoke,
} from "@/lib/db/queries/messages";
import { advanceCursors, type CursorMove } from "@/lib/db/queries/receipts";
import type { Channel } from "@/lib/db/schema";
import { ApiError } from "@/lib/errors";
import { takeToken } from "@/lib/security/rate-limit";
import { memberOrRefuse, requireMember } from "@/lib/shared/access";
import { type AnnounceDeps, announceStoredMessages } from "@/lib/shared/announce-messages";
import type { Deps } from "@/lib/shared/context";
import { recallRight } from "@/lib/shared/recall-rules";
import { countsFor } from "@/lib/shared/receipt-counts";
import { toWireMessage } from "@/lib/shared/to-wire";
import { nextMessageId } from "@/lib/util/snowflake";
import { GatewayError, type WuKongImClient } from "@/lib/wukongim/client";
import { wukongim, wukongimChannelId } from "@/lib/wukongim/gateway";

export const payloadSchema = z.looseObject({
  // 99 (CMD) and 1006 (revoke tip) are the server's to send, not a chat client's.
  type: z.number().int().min(1).max(98, "type must be a content type (1-98)"),
  content: z.string().max(MESSAGE_MAX_CHARS).optional(),
});

export const sendMessageSchema = z.object({
  client_msg_no: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w.:-]+$/, "letters, digits, _ . : - only")
    .optional(),
  payload: payloadSchema.refine((p) => p.type !== 1 || (typeof p.content === "string" && p.content.trim() !== ""), {
    message: "a text message (type 1) needs non-empty content",
    path: ["content"],
  }),
});

export type SendMessageInput = z.infer<typeof sendMessageSchema>;

/** What sending uses: announcing (db, sockets, coalescer, config) and the rate limiter. */
export type SendDeps = AnnounceDeps & Deps<"limiter">;

async function withCounts(
  ctx: Deps<"db" | "config">,
  rows: MessageWithRevoke[],
  channelId: string,
  viewerUid: string | undefined,
  receipts: boolean,
) {
  const window = ctx.config.REVOKE_WINDOW_SECONDS;
  const counts = receipts ? await countsFor(ctx, { channelId, rows, onlyFromUid: viewerUid }) : new Map();
  return rows.map((row) => toWireMessage(row, { viewerUid, revokeWindowSeconds: window, counts: counts.get(row.messageSeq) }));
}

/**
 * Stores a message with the channel's next seq. The seq is taken under the
 * channel row lock in the insert's transaction: gapless and unique however many
 * send at once. A repeated client_msg_no returns the first message.
 */
export async function sendMessage(
  ctx: SendDeps,
  {
    actor,
    channelId,
    input,
  }: {
    actor: Actor;
    channelId: string;
    input: SendMessageInput;
  },
): Promise<{ message: WireMessage; created: boolean; pending?: boolean }> {
  takeToken(ctx.limiter, "send", actor.uid);
  const { channel } = await requireMember({ db: ctx.db(), channelId, actor });
  const clientMsgNo = input.client_msg_no ?? randomUUID().replaceAll("-", "");
  const existing = await getMessageByClientMsgNo({ db: ctx.db(), channelId, fromUid: actor.uid, clientMsgNo });
  if (existing) return { message: (await withCounts(ctx, [existing], channelId, actor.uid, channel.receiptsEnabled))[0], created: false };
  const im = wukongim();
  if (im) return sendThroughWukongim(ctx, { im, actor, channel, clientMsgNo, payload: input.payload });

  let stored: Stored | undefined;
  try {
    stored = await storeMessage(ctx, { channelId, fromUid: actor.uid, clientMsgNo, payload: input.payload, sentAt: nowDate() });
  } catch (err) {
    if (!(err instanceof DuplicateSend)) throw err;
  }
  if (!stored) {
    const first = await getMessageByClientMsgNo({ db: ctx.db(), channelId, fromUid: actor.uid, clientMsgNo });
    if (!first) throw new ApiError("conflict", "The message could not be stored; try again.");
    return { message: (await withCounts(ctx, [first], channelId, actor.uid, channel.receiptsEnabled))[0], created: false };
  }
  const [message] = await announceStoredMessages(ctx, { channel, rows: [stored.row], senderReads: stored.ownRead ? [stored.ownRead] : [] });
  return { message, created: true };
}

type Stored = { row: MessageWithRevoke; ownRead?: CursorMove };

/**
 * Stores one message as built-in delivery does, in one transaction: the next
 * seq under the channel's row lock, the row, and the sender's own read cursor
 * (sending means having read everything up to one's own message). Throws
 * DuplicateSend when an identical request won the race. Test mode's seed
 * stores through here too, with a `sentAt` in the past.
 */
export async function storeMessage(
  ctx: Deps<"db">,
  m: {
    channelId: string;
    fromUid: string;
    clientMsgNo: string;
    payload: SendMessageInput["payload"];
    sentAt: Date;
  },
): Promise<Stored> {
  return ctx.db().transaction(async (tx) => {
    const allocated = await allocateSeq({ db: tx, channelId: m.channelId });
    if (!allocated) throw new ApiError("channel_not_found", `No channel ${m.channelId}.`);
    const row = await insertMessage({
      db: tx,
      message: {
        channelId: m.channelId,
        messageSeq: allocated.seq,
        messageId: nextMessageId(m.sentAt.getTime()),
        clientMsgNo: m.clientMsgNo,
        fromUid: m.fromUid,
        channelType: allocated.channelType,
        sentAt: m.sentAt,
        payload: m.payload,
      },
    });
    // Lost the race to an identical request: roll back so the seq is not used.
    if (!row) throw new DuplicateSend();
    const [ownRead] = await advanceCursors({
      db: tx,
      reads: [{ channelId: m.channelId, uid: m.fromUid, seq: allocated.seq }],
      at: m.sentAt,
    });
    return { row: rowFields(row), ownRead };
  });
}

export class DuplicateSend extends Error {}

const NOTIFY_WAIT_MS = 5000;

/**
 * WuKongIM mode: WuKongIM assigns id and seq, and the message enters our
 * history from its msg.notify callback (flushed every 500 ms). We wait for
 * that so the sender gets the stored message; if it is late, 202 + pending.
 */
async function sendThroughWukongim(
  ctx: Deps<"db" | "config">,
  {
    im,
    actor,
    channel,
    clientMsgNo,
    payload,
  }: {
    im: WuKongImClient;
    actor: Actor;
    channel: Channel;
    clientMsgNo: string;
    payload: SendMessageInput["payload"];
  },
): Promise<{ message: WireMessage; created: boolean; pending?: boolean }> {
  let sent: { messageId: string; messageSeq?: number };
  try {
    sent = await im.sendMessage({
      header: { no_persist: 0, red_dot: 1, sync_once: 0 },
      client_msg_no: clientMsgNo,
      from_uid: actor.uid,
      channel_id: wukongimChannelId(channel.channelId, channel.channelType, actor.uid),
      channel_type: channel.channelType,
      payload,
    });
  } catch (err) {
    throw new ApiError("gateway_error", (err as Error).message, err instanceof GatewayError ? err.details : undefined);
  }
  // A wait for WuKongIM's callback: real elapsed time, not the rules' clock.
  const deadline = performance.now() + NOTIFY_WAIT_MS;
  while (performance.now() < deadline) {
    const stored = await getMergedMessageById({ db: ctx.db(), messageId: sent.messageId });
    if (stored)
      return { message: (await withCounts(ctx, [stored], channel.channelId, actor.uid, channel.receiptsEnabled))[0], created: true };
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    created: true,
    pending: true,
    message: {
      message_id: sent.messageId,
      client_msg_no: clientMsgNo,
      message_seq: sent.messageSeq ?? 0,
      channel_id: channel.channelId,
      channel_type: channel.channelType,
      from_uid: actor.uid,
      timestamp: Math.floor(now() / 1000),
      payload: payload as WireMessage["payload"],
      revoked: false,
      revoked_by: null,
      revoked_at: null,
    },
  };
}

function rowFields(row: NonNullable<Awaited<ReturnType<typeof insertMessage>>>): MessageWithRevoke {
  return { ...row, payload: row.payload ?? null, revokedBy: null, revokedAt: null };
}

export const historyQuerySchema = z.object({
  before_seq: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  after_seq: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  // Over 200 is clamped, not refused (docs/api.md).
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(50)
    .transform((n) => Math.min(n, 200)),
});

export async function getHistory(
  ctx: Deps<"db" | "config">,
  {
    actor,
    channelId,
    query,
  }: {
    actor: Actor;
    channelId: string;
    query: z.infer<typeof historyQuerySchema>;
  },
): Promise<HistoryPage> {
  // One round trip for the channel, the membership, the page and its senders' roles; the counts are the second.
  const view = await getHistoryView({
    db: ctx.db(),
    channelId,
    viewerUid: actor.uid,
    beforeSeq: query.before_seq,
    afterSeq: query.after_seq,
    limit: query.limit,
  });
  const { channel, membership } = memberOrRefuse({ channelId, channel: view.channel, membership: view.membership });
  const { rows, more, senderRoles: roles } = view;
  const messages = await withCounts(ctx, rows, channelId, actor.uid, channel.receiptsEnabled);
  // Whether the viewer may recall each message, decided by the same rules the revoke applies.
  const at = nowDate();
  const windowSeconds = ctx.config.REVOKE_WINDOW_SECONDS;
  messages.forEach((m, i) => {
    if (m.revoked) {
      m.can_recall = false;
      return;
    }
    Object.assign(
      m,
      recallRight({
        actorUid: actor.uid,
        actorSystemRole: actor.role,
        actorChannelRole: membership.role,
        senderUid: m.from_uid,
        senderChannelRole: roles.get(m.from_uid),
        sentAt: new Date(rows[i].sentAt),
        now: at,
        windowSeconds,
      }),
    );
  });
  return {
    messages,
    more,
    // The change feed's version in the page's own snapshot: /changes?since=version misses nothing.
    version: String(channel.changeVersion),
  };
}
