import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import type { MembersAnswer, WireChannel } from "@/lib/contracts/chat";
import { CHANNEL_TYPE } from "@/lib/contracts/enums";
import { isValidUid, uidSchema } from "@/lib/contracts/ids";
import type { Queryable, Tx } from "@/lib/db/client";
import {
  getMembership,
  insertChannel,
  listChannelsOfUser,
  listEverMemberUids,
  listMembers,
  lockChannel,
  markMemberLeft,
  renameChannel,
  setMemberRole,
  setReceiptsEnabled,
  upsertMembers,
} from "@/lib/db/queries/channels";
import { listLastMessages } from "@/lib/db/queries/messages";
import { getUsersByUids, listActiveUsers } from "@/lib/db/queries/users";
import { ApiError } from "@/lib/errors";
import { enqueueCmdBindings } from "@/lib/outbox/cmd-bindings";
import { joinChannelRoom } from "@/lib/realtime/io";
import { announceChannelChange } from "@/lib/realtime/membership";
import {
  assertMayChangeRole,
  assertMayRemove,
  assertMayRename,
  lockWithActorRole,
  mayAddMembers,
  mayChangeRole,
  mayListReads,
  mayRemove,
  mayRename,
  requireChannelManager,
  requireMemberOrSystemAdmin,
} from "@/lib/shared/access";
import type { Deps } from "@/lib/shared/context";
import { toWireMessage } from "@/lib/shared/to-wire";
import { personChannelId } from "@/lib/wukongim/channel-key";

export const createGroupSchema = z.object({
  name: z.string().trim().min(1).max(100),
  members: z.array(uidSchema).max(10_000).default([]),
});

export const addMembersSchema = z.object({ uids: z.array(uidSchema).min(1).max(10_000) });

export const channelSettingsSchema = z.object({ receipts: z.boolean() });

export const renameChannelSchema = z.object({ name: z.string().trim().min(1).max(100) });

export const memberRoleSchema = z.object({ role: z.enum(["admin", "member"]) });

export const directChannelSchema = z.object({ uid: uidSchema });

export async function listChannels(ctx: Deps<"db" | "config">, { actor }: { actor: Actor }): Promise<{ channels: WireChannel[] }> {
  const rows = await listChannelsOfUser({ db: ctx.db(), uid: actor.uid });
  const last = await listLastMessages({ db: ctx.db(), channelIds: rows.map((r) => r.channelId) });
  const lastById = new Map(last.map((m) => [m.channelId, m]));
  const window = ctx.config.REVOKE_WINDOW_SECONDS;
  const channels = rows.map((r): WireChannel => {
    const lm = lastById.get(r.channelId);
    return {
      channel_id: r.channelId,
      channel_type: r.channelType,
      name: r.channelType === CHANNEL_TYPE.person && r.peerName ? r.peerName : r.name,
      role: r.role,
      unread_count: r.unreadCount,
      last_read_seq: r.lastReadSeq,
      last_message_seq: r.lastMessageSeq,
      receipts: r.receiptsEnabled,
      last_message: lm ? toWireMessage(lm, { viewerUid: actor.uid, revokeWindowSeconds: window }) : null,
    };
  });
  // Most recent conversation first.
  channels.sort((a, b) => (b.last_message?.timestamp ?? 0) - (a.last_message?.timestamp ?? 0));
  return { channels };
}

async function assertUsersExist(q: Queryable, uids: string[]) {
  const found = new Set((await getUsersByUids({ db: q, uids })).filter((u) => !u.disabledAt).map((u) => u.uid));
  const missing = uids.filter((u) => !found.has(u));
  if (missing.length) throw new ApiError("invalid_request", `Unknown users: ${missing.slice(0, 10).join(", ")}`, { missing });
}

/** Creates a group; the caller becomes its owner. No system message is written. */
export async function createGroup(ctx: Deps<"db">, { actor, input }: { actor: Actor; input: z.infer<typeof createGroupSchema> }) {
  const members = [...new Set(input.members.filter((u) => u !== actor.uid))];
  await assertUsersExist(ctx.db(), members);
  const channelId = `g_${randomBytes(8).toString("hex")}`;
  await ctx.db().transaction(async (tx) => {
    await insertChannel({ db: tx, channel: { channelId, channelType: CHANNEL_TYPE.group, name: input.name, createdBy: actor.uid } });
    await upsertMembers({
      db: tx,
      channelId,
      atSeq: 0,
      members: [{ uid: actor.uid, role: "owner" }, ...members.map((uid) => ({ uid, role: "member" as const }))],
    });
    await enqueueCmdBindings({ db: tx, channelId, channelType: CHANNEL_TYPE.group, uids: [actor.uid, ...members] });
  });
  const everyone = [actor.uid, ...members];
  announceChannelChange(channelId, { joined: everyone });
  return { channel_id: channelId, channel_type: 2, name: input.name, members: everyone };
}

/** Adds members (owner, channel admin or system admin). They count for receipts from the next message on. */
export async function addMembers(
  ctx: Deps<"db">,
  {
    actor,
    channelId,
    input,
  }: {
    actor: Actor;
    channelId: string;
    input: z.infer<typeof addMembersSchema>;
  },
) {
  const uids = [...new Set(input.uids)];
  const added = await ctx.db().transaction(async (tx) => {
    const channel = await requireChannelManager({ tx, channelId, actor, changesMembers: true });
    await assertUsersExist(tx, uids);
    const joined = await upsertMembers({
      db: tx,
      channelId,
      atSeq: channel.lastMessageSeq,
      members: uids.map((uid) => ({ uid, role: "member" as const })),
    });
    await enqueueCmdBindings({ db: tx, channelId, channelType: channel.channelType, uids: joined });
    return joined;
  });
  announceChannelChange(channelId, { joined: added });
  return { channel_id: channelId, added, members: (await listMembers({ db: ctx.db(), channelId })).map((m) => m.uid) };
}

/**
 * The current members, for members and system admins (who manage and see the
 * read lists of any channel). A read cursor tells whom a member has read, so
 * others' cursors go only to those who may see every read list of the channel
 * (its owner and admins, system admins); everyone else gets their own.
 */
export async function getMembers(ctx: Deps<"db">, { actor, channelId }: { actor: Actor; channelId: string }): Promise<MembersAnswer> {
  const { channel, membership } = await requireMemberOrSystemAdmin({ db: ctx.db(), channelId, actor });
  const members = await listMembers({ db: ctx.db(), channelId });
  const actorRole = membership?.role ?? null;
  const seesReads = mayListReads({ actor, channelRole: actorRole });
  // What the caller may do, judged by the rules the mutating routes run (the UI offers exactly these).
  return {
    can_rename: mayRename({ channel, actor, actorRole }),
    can_add_members: mayAddMembers({ channel, actor, actorRole }),
    members: members.map((m) => {
      const facts = { channel, actor, actorRole, targetUid: m.uid, targetRole: m.role };
      return {
        uid: m.uid,
        name: m.name,
        role: m.role,
        ...(seesReads || m.uid === actor.uid ? { last_read_seq: m.lastReadSeq } : {}),
        can_remove: mayRemove(facts),
        can_change_role: mayChangeRole(facts),
      };
    }),
  };
}

const announceChannelUpdated = (channelId: string) => announceChannelChange(channelId);

/**
 * Locks the channel and reads both roles in the lock, so a concurrent
 * promotion or removal cannot slip between a role check and the change.
 */
async function lockWithRoles(tx: Tx, channelId: string, actorUid: string, targetUid: string) {
  const channel = await lockChannel({ db: tx, channelId });
  if (!channel) throw new ApiError("channel_not_found", `No channel ${channelId}.`);
  const [mine, target] = await Promise.all([
    getMembership({ db: tx, channelId, uid: actorUid }),
    getMembership({ db: tx, channelId, uid: targetUid }),
  ]);
  return { channel, actorRole: mine?.role ?? null, targetRole: target?.role ?? null };
}

export async function updateChannelSettings(
  ctx: Deps<"db">,
  {
    actor,
    channelId,
    input,
  }: {
    actor: Actor;
    channelId: string;
    input: z.infer<typeof channelSettingsSchema>;
  },
) {
  await ctx.db().transaction(async (tx) => {
    await requireChannelManager({ tx, channelId, actor });
    await setReceiptsEnabled({ db: tx, channelId, enabled: input.receipts });
  });
  announceChannelUpdated(channelId);
  return { channel_id: channelId, receipts: input.receipts };
}

/**
 * A member leaves (or is removed by the owner, a channel admin or a system
 * admin), and with it every role. What they read stays read; messages they
 * had not read drop them from their unread lists, so those senders' counts
 * change and are announced.
 */
export async function removeMember(
  ctx: Deps<"db" | "receiptUpdates">,
  { actor, channelId, uid }: { actor: Actor; channelId: string; uid: string },
) {
  const removed = await ctx.db().transaction(async (tx) => {
    const { channel, actorRole, targetRole } = await lockWithRoles(tx, channelId, actor.uid, uid);
    assertMayRemove({ channel, actor, actorRole, targetUid: uid, targetRole });
    const left = await markMemberLeft({ db: tx, channelId, uid, atSeq: channel.lastMessageSeq });
    if (left) await enqueueCmdBindings({ db: tx, channelId, channelType: channel.channelType, uids: [uid] });
    return left;
  });
  if (!removed) throw new ApiError("not_a_member", `${uid} is not a member of ${channelId}.`);
  ctx.receiptUpdates.noteRange(channelId, removed.lastReadSeq + 1, removed.leftSeq);
  announceChannelChange(channelId, { left: [uid], by: actor });
  return { channel_id: channelId, removed: uid };
}

/** Renames a group (owner, channel admin or system admin). */
export async function renameGroup(ctx: Deps<"db">, { actor, channelId, name }: { actor: Actor; channelId: string; name: string }) {
  await ctx.db().transaction(async (tx) => {
    const { channel, actorRole } = await lockWithActorRole({ tx, channelId, actor });
    assertMayRename({ channel, actor, actorRole });
    await renameChannel({ db: tx, channelId, name });
  });
  announceChannelUpdated(channelId);
  return { channel_id: channelId, name };
}

/** Promotes a member to channel admin or demotes an admin: the owner's call (or a system admin's). */
export async function setRole(
  ctx: Deps<"db">,
  { actor, channelId, uid, role }: { actor: Actor; channelId: string; uid: string; role: "admin" | "member" },
) {
  const updated = await ctx.db().transaction(async (tx) => {
    const { channel, actorRole, targetRole } = await lockWithRoles(tx, channelId, actor.uid, uid);
    assertMayChangeRole({ channel, actor, actorRole, targetUid: uid, targetRole });
    return setMemberRole({ db: tx, channelId, uid, role });
  });
  announceChannelUpdated(channelId);
  return { channel_id: channelId, uid, role: updated?.role ?? role };
}

/**
 * Opens the direct conversation with another user: WuKongIM's person channel,
 * keyed by its fake channel id (the same from both sides), created on first use.
 */
export async function openDirect(ctx: Deps<"db" | "emitToUsers">, { actor, uid }: { actor: Actor; uid: string }) {
  if (uid === actor.uid) throw new ApiError("invalid_request", "Pick someone other than yourself.");
  // The id below is only one pair's if neither uid holds the separator (accounts from before the rule may).
  if (!isValidUid(actor.uid) || !isValidUid(uid)) throw new ApiError("invalid_request", "Direct messages need user ids without @.");
  const [peer] = await getUsersByUids({ db: ctx.db(), uids: [uid] });
  if (!peer || peer.disabledAt) throw new ApiError("user_not_found", `No user ${uid}.`);
  const channelId = personChannelId(actor.uid, uid);
  const created = await ctx.db().transaction(async (tx) => {
    const inserted = await insertChannel({
      db: tx,
      channel: { channelId, channelType: CHANNEL_TYPE.person, name: "", createdBy: actor.uid },
    });
    const channel = inserted ?? (await lockChannel({ db: tx, channelId }));
    if (!channel) throw new ApiError("channel_not_found", `No channel ${channelId}.`);
    if (!inserted) await assertDirectOfPair(tx, channel, [actor.uid, uid]);
    const added = await upsertMembers({
      db: tx,
      channelId,
      atSeq: channel.lastMessageSeq,
      members: [actor.uid, uid].map((u) => ({ uid: u, role: "member" as const })),
    });
    await enqueueCmdBindings({ db: tx, channelId, channelType: CHANNEL_TYPE.person, uids: added });
    return { inserted: Boolean(inserted), added };
  });
  if (created.added.length) {
    joinChannelRoom(created.added, channelId);
    ctx.emitToUsers(created.added, "channel:updated", { channel_id: channelId });
  }
  return { channel_id: channelId, channel_type: CHANNEL_TYPE.person, name: peer.name, created: created.inserted };
}

/**
 * An existing channel under a pair's id is reused only if it is that pair's
 * direct conversation: a person channel nobody else was ever a member of.
 * Anything else (a group that took the id, a DM of other people) is refused,
 * never joined.
 */
async function assertDirectOfPair(tx: Tx, channel: { channelId: string; channelType: number }, pair: [string, string]) {
  const others = (await listEverMemberUids({ db: tx, channelId: channel.channelId })).filter((u) => !pair.includes(u));
  if (channel.channelType !== CHANNEL_TYPE.person || others.length > 0) {
    throw new ApiError("conflict", `${channel.channelId} is not the direct conversation of ${pair.join(" and ")}.`);
  }
}

/** Every active account, by name: whom one can message or add. */
export async function listDirectory(ctx: Deps<"db">) {
  return listActiveUsers({ db: ctx.db() });
}
