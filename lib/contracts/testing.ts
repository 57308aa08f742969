import { z } from "zod";
import { SYSTEM_ROLES, WEBHOOK_EVENTS } from "./enums";
import { uidSchema } from "./ids";

// Test mode's routes (docs/api.md § Test mode): bodies and answers.

const isoTime = z.iso.datetime({ offset: true }).meta({ example: "2026-01-01T12:00:00Z" });

export const clockBodySchema = z
  .union([
    z.strictObject({ advance_ms: z.number().int().min(-3_153_600_000_000).max(3_153_600_000_000) }),
    z.strictObject({ set: isoTime }),
    z.strictObject({ reset: z.literal(true) }),
  ])
  .meta({
    id: "TestClockChange",
    description: "One of: move forward (or back) by ms, set to an instant (it keeps ticking), or back to real time.",
  });

export const clockAnswerSchema = z
  .object({
    now: z.string().meta({ description: "The clock every rule reads, ISO-8601." }),
    now_ms: z.number(),
    offset_ms: z.number().meta({ description: "How far it is from the machine's time (0 when untouched)." }),
  })
  .meta({ id: "TestClock" });

export const resetAnswerSchema = z.object({ reset: z.literal(true), took_ms: z.number() }).meta({ id: "TestReset" });

export const sessionBodySchema = z.strictObject({ uid: z.string().min(1).max(64) });

const cookieSchema = z.object({
  name: z.string(),
  value: z.string(),
  domain: z.string(),
  path: z.string(),
  expires: z.number(),
  httpOnly: z.boolean(),
  secure: z.boolean(),
  sameSite: z.enum(["Strict", "Lax", "None"]),
});

export const sessionAnswerSchema = z
  .object({
    token: z.string().meta({ description: "A bearer token, as POST /api/auth/token issues." }),
    user: z.object({ uid: z.string(), name: z.string(), role: z.enum(SYSTEM_ROLES) }),
    storage_state: z
      .object({ cookies: z.array(cookieSchema), origins: z.array(z.unknown()) })
      .meta({ description: "A Playwright storageState: the Auth.js session cookie for this origin." }),
  })
  .meta({ id: "TestSession" });

export const rateLimitsBodySchema = z.strictObject({ enabled: z.boolean() });
export const rateLimitsAnswerSchema = z.object({ enabled: z.boolean() });

export const testWebhookBodySchema = z
  .union([
    z.strictObject({ event: z.enum(WEBHOOK_EVENTS), body: z.unknown() }),
    z.strictObject({
      event: z.enum(WEBHOOK_EVENTS),
      raw: z.string().max(1_000_000).meta({ description: "The body as text, sent verbatim (int64 ids as JSON numbers)." }),
    }),
  ])
  .meta({ id: "TestWebhook" });

export const testWebhookAnswerSchema = z
  .object({ status: z.number(), body: z.unknown().meta({ description: "The webhook route's own answer." }) })
  .meta({ id: "TestWebhookAnswer" });

// A name for a channel or message created by this seed, so later entries can point at it.
const ref = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.:-]+$/);

const seedUser = z.strictObject({
  uid: uidSchema,
  name: z.string().trim().min(1).max(100).optional(),
  role: z.enum(SYSTEM_ROLES).default("user"),
  password: z.string().min(1).max(200).optional().meta({ description: "Default: DEMO_PASSWORD." }),
});

const seedGroup = z.strictObject({
  ref: ref.optional(),
  name: z.string().trim().min(1).max(100),
  owner: uidSchema,
  members: z.array(uidSchema).max(10_000).default([]),
  admins: z.array(uidSchema).max(10_000).default([]),
  receipts: z.boolean().optional(),
});

const seedDirect = z.strictObject({ ref: ref.optional(), between: z.tuple([uidSchema, uidSchema]) });

const channelRef = z.string().min(1).max(128).meta({ description: "A `ref` of this seed, or an existing channel_id (`general`)." });

const seedMessage = z.strictObject({
  ref: ref.optional(),
  channel: channelRef,
  from: uidSchema,
  content: z.string().min(1).max(10_000),
  sent_at: isoTime.optional().meta({ description: "When it was sent (default: now by the server clock); not in the future." }),
  recalled: z
    .union([z.literal(true), z.strictObject({ by: uidSchema.optional(), reason: z.string().max(500).optional(), at: isoTime.optional() })])
    .optional()
    .meta({ description: "Recalled by its sender (or `by`, under the same rules as the route) at `at` (default: sent_at + 1 s)." }),
});

const seedRead = z.strictObject({
  channel: channelRef,
  uid: uidSchema,
  message_seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  up_to: ref.optional().meta({ description: "A message `ref` of this seed, instead of message_seq." }),
});

export const seedBodySchema = z
  .strictObject({
    users: z.array(seedUser).max(10_000).default([]),
    groups: z.array(seedGroup).max(1000).default([]),
    directs: z.array(seedDirect).max(1000).default([]),
    messages: z.array(seedMessage).max(10_000).default([]),
    reads: z.array(seedRead).max(100_000).default([]),
  })
  .meta({ id: "TestSeed" });

export type SeedInput = z.infer<typeof seedBodySchema>;

export const seedAnswerSchema = z
  .object({
    users: z.array(z.string()),
    groups: z.array(z.object({ channel_id: z.string(), name: z.string(), ref: z.string().optional() })),
    directs: z.array(z.object({ channel_id: z.string(), ref: z.string().optional() })),
    messages: z.array(
      z.object({
        message_id: z.string().meta({ description: "Decimal string (int64)." }),
        channel_id: z.string(),
        message_seq: z.number(),
        revoked: z.boolean(),
        ref: z.string().optional(),
      }),
    ),
    refs: z.record(z.string(), z.string()).meta({ description: "Every `ref` → the channel_id or message_id it became." }),
  })
  .meta({ id: "TestSeedAnswer" });

export type SeedAnswer = z.infer<typeof seedAnswerSchema>;
