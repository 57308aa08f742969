// Every closed set of values the system speaks, once: the database columns
// (lib/db/schema.ts), the zod schemas at the edges, the services and the UI
// all take them from here. Browser-safe (no Node imports).

/** A person's role in the whole system. */
/** Every API answer's header with the server clock's time in ms (lib/clock.ts): browsers follow it. */
export const CLOCK_HEADER = "x-imdesk-now";

export const SYSTEM_ROLES = ["user", "admin"] as const;
export type SystemRole = (typeof SYSTEM_ROLES)[number];

/** A member's role in one channel. */
export const CHANNEL_ROLES = ["owner", "admin", "member"] as const;
export type ChannelRole = (typeof CHANNEL_ROLES)[number];

/** Which rule allowed a revoke (docs/api.md § Revoke), in the order they are tried. */
export const REVOKE_RULES = ["sender", "channel_owner", "channel_admin", "system_admin"] as const;
export type RevokeRule = (typeof REVOKE_RULES)[number];

/** WuKongIM webhook events we accept (docs/wukongim.md). */
export const WEBHOOK_EVENTS = ["msg.notify", "msg.offline", "user.onlinestatus"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** What became of a webhook delivery. */
export const WEBHOOK_STATUSES = ["accepted", "duplicate", "rejected"] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

/** How a WuKongIM message was recorded: chat history, a CMD (sync_once=1), or not persisted. */
export const IM_MESSAGE_KINDS = ["chat", "cmd", "no_persist"] as const;
export type ImMessageKind = (typeof IM_MESSAGE_KINDS)[number];

/** The push decision for one (message, uid) of msg.offline; "retracted" is a filter over pushed rows. */
export const PUSH_DECISIONS = ["push", "no_push_cmd", "suppressed_revoked"] as const;
export type PushDecision = (typeof PUSH_DECISIONS)[number];

/** Where a message came from: stored by imdesk itself, or through WuKongIM's webhook. */
export const MESSAGE_SOURCES = ["local", "wukongim"] as const;

/** Where an outbox entry goes. */
export const OUTBOX_DESTINATIONS = ["realtime", "wukongim"] as const;
export type OutboxDestination = (typeof OUTBOX_DESTINATIONS)[number];

/** The longest text a message may carry, in characters: the composer's counter and the server's schema. */
export const MESSAGE_MAX_CHARS = 8000;

/** WuKongIM channel types imdesk stores. */
export const CHANNEL_TYPE = { person: 1, group: 2 } as const;

/** Payload types with a meaning of their own: text, the revoke CMD, the revoke tip. */
export const PAYLOAD_TYPE = { text: 1, cmd: 99, revokeTip: 1006 } as const;
