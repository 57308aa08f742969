import { z } from "zod";

/**
 * A user id: letters, digits and _ . - (WuKongIM uids), at most 64. Never `@`:
 * WuKongIM joins two uids with it into a person channel id (`a@b`), so a uid
 * holding one would let two different pairs share one direct conversation.
 */
export const uidSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.-]+$/, "uids are letters, digits and _ . - (never @)");

/**
 * A uid naming an account that already exists, to disable it or remove it
 * from a channel: accounts made before uids lost `@` stay manageable. Never
 * used where a uid is created, invited or messaged.
 */
export const existingUidSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.@-]+$/, "uids are letters, digits and _ . @ -");

/** True for a uid that may be created or messaged (see uidSchema). */
export const isValidUid = (uid: string) => uidSchema.safeParse(uid).success;

/** A channel id: a group's id, or a person chat's `a@b`. */
export const channelIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.@-]+$/, "channel ids are letters, digits and _ . @ -");

/** A message id: an int64 in decimal digits, never a JS number. */
export const messageIdSchema = z.string().regex(/^\d{1,20}$/, "message ids are decimal digits");
