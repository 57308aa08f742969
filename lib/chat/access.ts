import type { Actor } from "@/lib/auth/actor";
import type { ChannelRole } from "@/lib/contracts/enums";
import type { Queryable } from "@/lib/db/client";
import { getChannel, getChannelAndMembership, getMembership } from "@/lib/db/queries/channels";
import { ApiError } from "@/lib/errors";

/** The channel and the caller's membership; 404 for an unknown channel, 403 for a non-member. */
export async function requireMember({ db, channelId, actor }: { db: Queryable; channelId: string; actor: Actor }) {
  const row = await getChannelAndMembership({ db, channelId, uid: actor.uid });
  const channel = row?.channel;
  const membership = row?.membership;
  if (!channel) throw new ApiError("channel_not_found", `No channel ${channelId}.`);
  if (!membership) throw new ApiError("not_a_member", `You are not a member of ${channelId}.`);
  return { channel, membership };
}

/** Owners and channel admins manage a channel; system admins may too. */
export async function requireChannelManager({ db, channelId, actor }: { db: Queryable; channelId: string; actor: Actor }) {
  const channel = await getChannel({ db, channelId });
  if (!channel) throw new ApiError("channel_not_found", `No channel ${channelId}.`);
  if (actor.role === "admin") return channel;
  const membership = await getMembership({ db, channelId, uid: actor.uid });
  if (!membership) throw new ApiError("not_a_member", `You are not a member of ${channelId}.`);
  if (membership.role === "member") throw new ApiError("not_allowed", "Only the channel's owner or admins may do this.");
  return channel;
}

/** Who acts on whom in a channel, with their roles read under the channel lock (null: not a member). */
interface RoleFacts {
  actor: Actor;
  actorRole: ChannelRole | null;
  targetUid: string;
  targetRole: ChannelRole | null;
}

/**
 * Who may take whom out of a channel: anyone may leave, except the owner
 * (a group always has one); nobody removes the owner; only the owner (or a
 * system admin) removes a channel admin; owners and admins remove members.
 */
export function assertMayRemove({ actor, actorRole, targetUid, targetRole }: RoleFacts) {
  const self = targetUid === actor.uid;
  if (!self && actor.role !== "admin") {
    if (!actorRole) throw new ApiError("not_a_member", "You are not a member of this channel.");
    if (actorRole === "member") throw new ApiError("not_allowed", "Only the channel's owner or admins may remove members.");
  }
  if (!targetRole) throw new ApiError("not_a_member", `${targetUid} is not a member of this channel.`);
  if (targetRole === "owner") {
    throw new ApiError(self ? "conflict" : "not_allowed", self ? "The owner cannot leave the group." : "Nobody can remove the group's owner.");
  }
  if (!self && targetRole === "admin" && actorRole !== "owner" && actor.role !== "admin") {
    throw new ApiError("not_allowed", "Only the owner may remove a channel admin.");
  }
}

/** Promoting to channel admin and demoting: the owner's call (or a system admin's); the owner's own role never changes. */
export function assertMayChangeRole({ actor, actorRole, targetUid, targetRole }: RoleFacts) {
  if (actor.role !== "admin") {
    if (!actorRole) throw new ApiError("not_a_member", "You are not a member of this channel.");
    if (actorRole !== "owner") throw new ApiError("not_allowed", "Only the owner may promote or demote admins.");
  }
  if (!targetRole) throw new ApiError("not_a_member", `${targetUid} is not a member of this channel.`);
  if (targetRole === "owner") throw new ApiError("not_allowed", "The owner's role cannot be changed.");
}
