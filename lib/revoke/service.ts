import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";

import type { MessageRevokedEvent, RevokeRecord } from "@/lib/contracts/chat";
import { REVOKE_NOTICE_TEMPLATE } from "@/lib/contracts/chat";
import { CHANNEL_TYPE, PAYLOAD_TYPE } from "@/lib/contracts/enums";
import { getMemberRoles, lockChannel, setChangeVersion } from "@/lib/db/queries/channels";
import { getMergedMessageById } from "@/lib/db/queries/messages";
import { enqueueOutbox } from "@/lib/db/queries/outbox";
import { retractPushes } from "@/lib/db/queries/push-notifications";
import { getRevocation, insertRevocation } from "@/lib/db/queries/revocations";
import type { Revocation } from "@/lib/db/schema";
import { ApiError } from "@/lib/errors";
import { storeFetchedMessages } from "@/lib/ingest/fetched";
import { wakeOutbox } from "@/lib/outbox/dispatcher";
import { outboxEntry } from "@/lib/outbox/topics";
import { pushProvider } from "@/lib/push/provider";
import { notifyAdmins } from "@/lib/realtime/io";
import { takeToken } from "@/lib/security/rate-limit";
import { NOT_A_MEMBER_OF_CONVERSATION } from "@/lib/shared/access";
import type { AnnounceDeps } from "@/lib/shared/announce-messages";
import type { Deps } from "@/lib/shared/context";
import { decideRevoke, type RevokeDecision, type RevokeRefusal } from "@/lib/shared/recall-rules";
import { type RevokeCmd, wukongim } from "@/lib/wukongim/gateway";
import { eraseRecalledContent } from "./erase";

export const revokeSchema = z.object({
  reason: z.string().trim().max(500).optional(),
  // Where to look when the message never reached our store (WuKongIM mode): its channel as WuKongIM knows it.
  channel_id: z.string().min(1).max(256).optional(),
  channel_type: z.number().int().min(1).max(255).optional(),
  // Lets the lookup use /channel/messagesync by seq where WuKongIM has no /messages.
  message_seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});

function toRecord(r: Revocation): RevokeRecord {
  return { message_id: r.messageId, channel_id: r.channelId, revoked_by: r.revokedBy, revoked_at: r.revokedAt.toISOString() };
}

type StoredMessage = NonNullable<Awaited<ReturnType<typeof getMergedMessageById>>>;
type Allowed = Extract<RevokeDecision, { allowed: true }>;

/** What revokeMessage and recallMessage use of the context. */
// AnnounceDeps: a message missing from the store is fetched from WuKongIM and announced as it is stored.
type RevokeDeps = AnnounceDeps;

async function authorize(ctx: Deps<"db" | "config">, actor: Actor, message: StoredMessage, at: Date) {
  const roles = await getMemberRoles({ db: ctx.db(), channelId: message.channelId, uids: [actor.uid, message.fromUid] });
  return decideRevoke({
    actorUid: actor.uid,
    actorSystemRole: actor.role,
    actorChannelRole: roles.get(actor.uid),
    senderUid: message.fromUid,
    senderChannelRole: roles.get(message.fromUid),
    sentAt: new Date(message.sentAt),
    now: at,
    windowSeconds: ctx.config.REVOKE_WINDOW_SECONDS,
  });
}

/**
 * Recalls a message: checks the rules, then in one transaction records the
 * revoke once (its primary key is the message), takes the next version of the
 * channel's change feed, optionally erases the content, and queues the notice
 * in the outbox. Repeats and concurrent calls get the first record.
 */
export async function revokeMessage(
  ctx: RevokeDeps & Deps<"now" | "limiter">,
  { actor, messageId, reason, hint }: { actor: Actor; messageId: string; reason?: string; hint?: RevokeHint },
): Promise<RevokeRecord> {
  takeToken(ctx.limiter, "revoke", actor.uid);
  return recallMessage(ctx, { actor, messageId, reason, hint, at: new Date(ctx.now()) });
}

/**
 * The recall itself, at the instant `at` by the clock every rule reads: the
 * route's is now; test mode's seed recalls messages at a moment in their past.
 * Four steps: find the message, decide, record once, announce after the commit.
 */
export async function recallMessage(
  ctx: RevokeDeps,
  { actor, messageId, reason, hint, at }: { actor: Actor; messageId: string; reason?: string; hint?: RevokeHint; at: Date },
): Promise<RevokeRecord> {
  const message = await findMessage(ctx, actor, messageId, hint);
  const decision = await authorize(ctx, actor, message, at);

  const existing = await getRevocation({ db: ctx.db(), channelId: message.channelId, seq: message.messageSeq });
  if (existing) {
    if (decision.allowed || existing.revokedBy === actor.uid) return toRecord(existing);
    throw refusal(ctx, decision.code);
  }
  if (!decision.allowed) throw refusal(ctx, decision.code);

  const { record, created, retracted } = await recordOnce(ctx, { actor, message, decision, reason, at });
  if (created) {
    wakeOutbox();
    notifyAdmins("revocations");
  }
  for (const n of retracted) await pushProvider().retract(n);
  return toRecord(record);
}

/** The stored message, or (WuKongIM mode) the one the webhook never stored, fetched and stored now. */
async function findMessage(ctx: RevokeDeps, actor: Actor, messageId: string, hint?: RevokeHint): Promise<StoredMessage> {
  return (await getMergedMessageById({ db: ctx.db(), messageId })) ?? (await fetchMissingMessage(ctx, actor, messageId, hint));
}

/**
 * One transaction under the channel row lock: the revocation (once: a
 * concurrent recall that won is answered as it is), the next change-feed
 * version, the erasure, the outbox entries, the pushes retracted.
 */
async function recordOnce(
  ctx: Deps<"db">,
  { actor, message, decision, reason, at }: { actor: Actor; message: StoredMessage; decision: Allowed; reason?: string; at: Date },
) {
  const { channelId, messageSeq: seq, messageId } = message;
  return ctx.db().transaction(async (tx) => {
    const channel = await lockChannel({ db: tx, channelId });
    if (!channel) throw new ApiError("message_not_found", `No message ${messageId}.`);
    const already = await getRevocation({ db: tx, channelId, seq });
    if (already) return { record: already, created: false, retracted: [] };
    const version = channel.changeVersion + 1;
    await setChangeVersion({ db: tx, channelId, version });
    const inserted = await insertRevocation({
      db: tx,
      record: {
        channelId,
        messageSeq: seq,
        messageId,
        senderUid: message.fromUid,
        revokedBy: actor.uid,
        rule: decision.rule,
        reason: reason || null,
        sentAt: new Date(message.sentAt),
        revokedAt: at,
        version,
      },
    });
    if (!inserted) throw new Error("revocation insert lost under the channel lock");
    await eraseRecalledContent({ db: tx, channelId, seq, messageId });
    await enqueueOutbox({ db: tx, entries: revokeEntries(actor, message, inserted) });
    const retracted = await retractPushes({ db: tx, messageId });
    return { record: inserted, created: true, retracted };
  });
}

/**
 * What the outbox delivers after the commit: `message:revoked` to the
 * channel's sockets — its notice names the revoker from the actor, which
 * carries the name, not from a second read of the user row — and the CMD to
 * WuKongIM when one is configured.
 */
function revokeEntries(actor: Actor, message: StoredMessage, inserted: Revocation) {
  const { channelId, messageId } = message;
  const event: MessageRevokedEvent = {
    ...toRecord(inserted),
    channel_type: message.channelType,
    message_seq: message.messageSeq,
    notice: {
      type: PAYLOAD_TYPE.revokeTip,
      message_id: messageId,
      content: REVOKE_NOTICE_TEMPLATE,
      extra: [{ uid: actor.uid, name: actor.name }],
    },
  };
  const cmd: RevokeCmd = { from_uid: actor.uid, channel_id: channelId, channel_type: message.channelType, message_id: messageId };
  return [outboxEntry("message:revoked", channelId, event), ...(wukongim() ? [outboxEntry("wukongim:revoke_cmd", channelId, cmd)] : [])];
}

/**
 * The production failure of docs/background.md §4: a message the webhook never
 * stored. With WuKongIM configured it is fetched by id and stored first; without,
 * a clear 404 says it never reached the store.
 */
async function fetchMissingMessage(ctx: RevokeDeps, actor: Actor, messageId: string, hint?: RevokeHint) {
  const im = wukongim();
  const missing = () =>
    new ApiError(
      "message_not_found",
      `No message ${messageId}: it never reached the message store (is the WuKongIM webhook delivering?), so it cannot be recalled.`,
    );
  if (!im || !hint?.channel_id || !hint.channel_type) throw missing();
  const where = wukongimAddress(hint.channel_id, hint.channel_type, actor.uid);
  const fetched = await im
    .fetchMessage({ ...where, channel_type: hint.channel_type, message_id: messageId, message_seq: hint.message_seq })
    .catch((err) => {
      throw new ApiError("gateway_error", `Fetching ${messageId} from WuKongIM failed: ${(err as Error).message}`);
    });
  await storeFetchedMessages(ctx, fetched);
  const message = await getMergedMessageById({ db: ctx.db(), messageId });
  if (!message) throw missing();
  return message;
}

type RevokeHint = Omit<z.infer<typeof revokeSchema>, "reason">;

/**
 * WuKongIM reads a person channel from one party's side: `login_uid` and the
 * other's uid. The hint may be that uid or imdesk's channel id (`a@b`); a
 * system admin who is neither party reads it as the first.
 */
function wukongimAddress(channelId: string, channelType: number, actorUid: string) {
  const parts = channelId.split("@");
  if (channelType !== CHANNEL_TYPE.person || parts.length !== 2) return { login_uid: actorUid, channel_id: channelId };
  const [a, b] = parts;
  if (b === actorUid) return { login_uid: b, channel_id: a };
  return parts.includes(actorUid) ? { login_uid: actorUid, channel_id: b } : { login_uid: a, channel_id: b };
}

function refusal(ctx: Deps<"config">, code: RevokeRefusal) {
  return new ApiError(code, explain(ctx, code));
}

function explain(ctx: Deps<"config">, code: RevokeRefusal) {
  if (code === "not_a_member") return NOT_A_MEMBER_OF_CONVERSATION;
  return code === "revoke_window_expired"
    ? `Messages can be recalled by their sender for ${ctx.config.REVOKE_WINDOW_SECONDS} seconds.`
    : "Only the sender, the channel's owner or admins, or a system admin may recall this message.";
}
