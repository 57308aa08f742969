import type { ChannelRole, RevokeRule, SystemRole } from "@/lib/contracts/enums";

export type { RevokeRule };

export interface RevokeFacts {
  actorUid: string;
  actorSystemRole: SystemRole;
  /** The actor's role in the message's channel; undefined when not a member. */
  actorChannelRole?: ChannelRole;
  senderUid: string;
  /** The sender's role in the channel; undefined when the sender has left. */
  senderChannelRole?: ChannelRole;
  sentAt: Date;
  now: Date;
  windowSeconds: number;
}

export type RevokeRefusal = "not_a_member" | "not_allowed" | "revoke_window_expired";

export type RevokeDecision = { allowed: true; rule: RevokeRule } | { allowed: false; code: RevokeRefusal };

/**
 * Who may recall a message (docs/api.md § Revoke). The sender within the window by
 * the server's clock; a channel owner any message; a channel admin those of
 * ordinary members (or of people who left); a system admin any. Checked in
 * that order, so the rule recorded is the most ordinary one that applies.
 * Anyone else who is not a member (a sender who left too) is refused as a
 * non-member: that, not the sender rule, is why.
 */
export function decideRevoke(f: RevokeFacts): RevokeDecision {
  if (!f.actorChannelRole && f.actorSystemRole !== "admin") return { allowed: false, code: "not_a_member" };
  const isSender = f.actorUid === f.senderUid;
  const withinWindow = f.now.getTime() - f.sentAt.getTime() <= f.windowSeconds * 1000;
  if (isSender && withinWindow && f.actorChannelRole) return { allowed: true, rule: "sender" };
  if (f.actorChannelRole === "owner") return { allowed: true, rule: "channel_owner" };
  if (f.actorChannelRole === "admin" && (f.senderChannelRole ?? "member") === "member") return { allowed: true, rule: "channel_admin" };
  if (f.actorSystemRole === "admin") return { allowed: true, rule: "system_admin" };
  if (isSender && f.actorChannelRole) return { allowed: false, code: "revoke_window_expired" };
  return { allowed: false, code: "not_allowed" };
}

/**
 * What a viewer may do with a message, for the UI: recall it now, and until
 * when (set only when the right is the sender's window, which runs out).
 */
export function recallRight(f: RevokeFacts): { can_recall: boolean; recall_until?: string } {
  const privileged = decideRevoke({ ...f, windowSeconds: -1 });
  if (privileged.allowed) return { can_recall: true };
  const asSender = decideRevoke(f);
  if (!asSender.allowed) return { can_recall: false };
  return { can_recall: true, recall_until: new Date(f.sentAt.getTime() + f.windowSeconds * 1000).toISOString() };
}
