import { z } from "zod";

/** A user id: letters, digits and _ . @ - (WuKongIM uids), at most 64. */
export const uidSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.@-]+$/, "uids are letters, digits and _ . @ -");

/** A channel id: a group's id, or a person chat's `a@b`. */
export const channelIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.@-]+$/, "channel ids are letters, digits and _ . @ -");

/** A message id: an int64 in decimal digits, never a JS number. */
export const messageIdSchema = z.string().regex(/^\d{1,20}$/, "message ids are decimal digits");
