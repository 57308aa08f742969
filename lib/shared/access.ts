import { CHANNEL_TYPE, type ChannelRole } from "@/lib/contracts/enums";
import type { Queryable, Tx } from "@/lib/db/client";
import { getChannelAndMembership, getMembership, lockChannel } from "@/lib/db/queries/channels";
import { ApiError } from "@/lib/errors";
import type { Actor } from "./actor";

/**
 * The refusal for a non-member who named a message, not a channel: its channel
 * id is not theirs to learn (a DM's id names its two people).
 */
export const NOT_A_MEMBER_OF_CONVERSATION = "You are not a member of this conversation.";

/** The channel and the caller's membership; 404 for an unknown channel, 403 for a non-member. */
export async function requireMember({ db, channelId, actor }: { db: Queryable; channelId: string; actor: Actor }) {
  const row = await getChannelAndMembership({ db, channelId, uid: actor.uid });
  return memberOrRefuse({ channelId, channel: row?.channel, membership: row?.membership ?? undefined });
}

/** requireMember's refusals on facts already read (a query that read them with more in the same round trip). */
export function memberOrRefuse<C, M>({ channelId, channel, membership }: { channelId: string; channel?: C; membership?: M }) {
  if (!channel) throw new ApiError("channel_not_found", `No channel ${channelId}.`);
  if (!membership) throw new ApiError("not_a_member", `You are not a member of ${channelId}.`);
  return { channel, membership };
}

/**
 * The channel and the caller's membership, also for a system admin who is not
 * a member (membership undefined): for what system admins see in any channel
 * (members, read cursors, read lists) as they may manage any channel.
 */
export async function requireMemberOrSystemAdmin({ db, channelId, actor }: { db: Queryable; channelId: string; actor: Actor }) {
  if (actor.role !== "admin") return requireMember({ db, channelId, actor });
  const row = await getChannelAndMembership({ db, channelId, uid: actor.uid });
  if (!row?.channel) throw new ApiError("channel_not_found", `No channel ${channelId}.`);
  return { channel: row.channel, membership: row.membership ?? undefined };
}

/**
 * A direct conversation has exactly its two people, forever: nobody — system
 * admins included — adds or removes anyone, leaves, renames it or gives roles
 * there, since whoever joined would read the pair's whole history.
 */
export function assertNotDirect(channel: { channelType: number }) {
  if (channel.channelType === CHANNEL_TYPE.person) {
    throw new ApiError(
      "direct_channel_fixed",
      "A direct conversation always has exactly its two people; its members and name never change.",
    );
  }
}

/**
 * Owners and channel admins manage a channel; system admins may too. With
 * changesMembers (members, name, roles), a direct conversation is refused to
 * everyone who may see it. Locks the channel row (run it in the transaction
 * that makes the change) and reads the caller's role in the lock, so a removal
 * or demotion committing meanwhile is seen: a right checked before the lock
 * could be used after it was taken away.
 */
export async function requireChannelManager({
  tx,
  channelId,
  actor,
  changesMembers = false,
}: {
  tx: Tx;
  channelId: string;
  actor: Actor;
  changesMembers?: boolean;
}) {
  const { channel, actorRole } = await lockWithActorRole({ tx, channelId, actor });
  assertMayManage({ channel, actor, actorRole, changesMembers });
  return channel;
}

/**
 * Locks the channel row and reads the caller's role in the lock (404 unknown
 * channel, 403 a non-member who is no system admin): the facts a manager
 * rule then judges.
 */
export async function lockWithActorRole({ tx, channelId, actor }: { tx: Tx; channelId: string; actor: Actor }) {
  const channel = await lockChannel({ db: tx, channelId });
  if (!channel) throw new ApiError("channel_not_found", `No channel ${channelId}.`);
  const membership = actor.role === "admin" ? null : await getMembership({ db: tx, channelId, uid: actor.uid });
  if (actor.role !== "admin" && !membership) throw new ApiError("not_a_member", `You are not a member of ${channelId}.`);
  return { channel, actorRole: membership?.role ?? null };
}

/** The manager rule itself, on roles already read: owners, channel admins and system admins. */
export function assertMayManage({
  channel,
  actor,
  actorRole,
  changesMembers = false,
}: {
  channel: { channelType: number };
  actor: Actor;
  actorRole: ChannelRole | null;
  changesMembers?: boolean;
}) {
  if (actor.role !== "admin" && !actorRole) throw new ApiError("not_a_member", "You are not a member of this channel.");
  if (changesMembers) assertNotDirect(channel);
  if (actor.role !== "admin" && actorRole === "member")
    throw new ApiError("not_allowed", "Only the channel's owner or admins may do this.");
}

/** Renaming: a manager's right, and only groups have a name to change. */
export function assertMayRename(facts: { channel: { channelType: number }; actor: Actor; actorRole: ChannelRole | null }) {
  assertMayManage({ ...facts, changesMembers: true });
  if (facts.channel.channelType !== CHANNEL_TYPE.group) throw new ApiError("invalid_request", "Only groups have a name to change.");
}

/** Who acts on whom in a channel, with their roles read under the channel lock (null: not a member). */
interface RoleFacts {
  channel: { channelType: number };
  actor: Actor;
  actorRole: ChannelRole | null;
  targetUid: string;
  targetRole: ChannelRole | null;
}

/**
 * Who may take whom out of a channel: nobody out of a direct conversation;
 * otherwise anyone may leave, except the owner
 * (a group always has one); nobody removes the owner; only the owner (or a
 * system admin) removes a channel admin; owners and admins remove members.
 */
export function assertMayRemove({ channel, actor, actorRole, targetUid, targetRole }: RoleFacts) {
  const self = targetUid === actor.uid;
  if (!actorRole && actor.role !== "admin") throw new ApiError("not_a_member", "You are not a member of this channel.");
  assertNotDirect(channel);
  if (!self && actor.role !== "admin") {
    if (actorRole === "member") throw new ApiError("not_allowed", "Only the channel's owner or admins may remove members.");
  }
  if (!targetRole) throw new ApiError("not_a_member", `${targetUid} is not a member of this channel.`);
  if (targetRole === "owner") {
    throw new ApiError(
      self ? "conflict" : "not_allowed",
      self ? "The owner cannot leave the group." : "Nobody can remove the group's owner.",
    );
  }
  if (!self && targetRole === "admin" && actorRole !== "owner" && actor.role !== "admin") {
    throw new ApiError("not_allowed", "Only the owner may remove a channel admin.");
  }
}

/** Promoting to channel admin and demoting: the owner's call (or a system admin's); the owner's own role never changes. */
export function assertMayChangeRole({ channel, actor, actorRole, targetUid, targetRole }: RoleFacts) {
  if (!actorRole && actor.role !== "admin") throw new ApiError("not_a_member", "You are not a member of this channel.");
  assertNotDirect(channel);
  if (actor.role !== "admin") {
    if (actorRole !== "owner") throw new ApiError("not_allowed", "Only the owner may promote or demote admins.");
  }
  if (!targetRole) throw new ApiError("not_a_member", `${targetUid} is not a member of this channel.`);
  if (targetRole === "owner") throw new ApiError("not_allowed", "The owner's role cannot be changed.");
  if (channel.channelType !== CHANNEL_TYPE.group) throw new ApiError("invalid_request", "Only groups have admins.");
}

/**
 * Whether a rule allows an action, asked without acting: the very assert the
 * mutating route runs, so what the members list offers (`can_remove`,
 * `can_change_role`, …) cannot disagree with what the route then does.
 */
function allows(rule: () => void): boolean {
  try {
    rule();
    return true;
  } catch (err) {
    if (err instanceof ApiError) return false;
    throw err;
  }
}

export const mayRemove = (facts: RoleFacts) => allows(() => assertMayRemove(facts));
export const mayChangeRole = (facts: RoleFacts) => allows(() => assertMayChangeRole(facts));
export const mayAddMembers = (facts: { channel: { channelType: number }; actor: Actor; actorRole: ChannelRole | null }) =>
  allows(() => assertMayManage({ ...facts, changesMembers: true }));
export const mayRename = (facts: { channel: { channelType: number }; actor: Actor; actorRole: ChannelRole | null }) =>
  allows(() => assertMayRename(facts));

/**
 * Who sees who read what in a whole channel: its owner and admins, and system
 * admins. (A message's sender also sees that message's lists.)
 */
export function mayListReads({ actor, channelRole }: { actor: Actor; channelRole: ChannelRole | null | undefined }) {
  return actor.role === "admin" || channelRole === "owner" || channelRole === "admin";
}
