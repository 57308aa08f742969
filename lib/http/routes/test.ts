import { Hono } from "hono";
import {
  clockAnswerSchema,
  clockBodySchema,
  rateLimitsAnswerSchema,
  rateLimitsBodySchema,
  resetAnswerSchema,
  resetBodySchema,
  seedAnswerSchema,
  seedBodySchema,
  sessionAnswerSchema,
  sessionBodySchema,
  testWebhookAnswerSchema,
  testWebhookBodySchema,
} from "@/lib/contracts/testing";
import { ApiError } from "@/lib/errors";
import { changeClock, clockAnswer } from "@/lib/testing/clock";
import { assertTestToken, testModeOn } from "@/lib/testing/mode";
import { resetToDemo } from "@/lib/testing/reset";
import { seedData } from "@/lib/testing/seed";
import { testSession } from "@/lib/testing/session";
import { postToWebhook } from "@/lib/testing/webhook";
import { type HttpEnv, OPERATION, type OperationSpec, operation } from "../operation";

/** The answer of a path nobody serves (app.ts's notFound): with test mode off, /api/test/* is exactly that. */
export const noSuchRoute = () => new ApiError("not_found", "No such API route.");

/**
 * operation() behind test mode's gate: off → 404 as for an unknown route;
 * on → the X-Imdesk-Test-Token header or 401, before anything is parsed or
 * changed. No user session is involved. The spec stays on the function, so
 * the OpenAPI document lists these routes (tag "Test mode").
 */
function testOperation<B extends Parameters<typeof operation>[0]["body"] = undefined>(
  spec: Omit<OperationSpec<"public", undefined, undefined, B>, "access" | "tags" | "testMode">,
) {
  const full = { ...spec, access: "public", tags: ["Test mode"], testMode: true, errors: [...(spec.errors ?? [])] } as OperationSpec<
    "public",
    undefined,
    undefined,
    B
  >;
  const inner = operation(full);
  const gate: typeof inner = async (c, next) => {
    if (!testModeOn()) throw noSuchRoute();
    assertTestToken(c.req.raw.headers);
    return inner(c, next);
  };
  return Object.assign(gate, { [OPERATION]: full }) as typeof inner;
}

const origin = (url: string) => new URL(new URL(url).origin);

/** Test mode (docs/api.md § Test mode): reset, seed, the clock, sessions, rate limits, the webhook. */
export const testRoutes = new Hono<HttpEnv>()
  .post(
    "/test/reset",
    testOperation({
      body: resetBodySchema,
      summary: "Reset to the demo seed",
      description:
        "Every table back to the demo seed (users, `general`), rate limits cleared and on, pending receipt flushes dropped, the clock back to real time; connected sockets get `test:reset` and are closed.",
      responses: { 200: { description: "Reset, and how long it took.", schema: resetAnswerSchema } },
    }),
    async (c) => c.json(await resetToDemo(c.var.ctx), 200),
  )
  .post(
    "/test/seed",
    testOperation({
      body: seedBodySchema,
      maxBodyBytes: 16 * 1024 * 1024,
      summary: "Seed users, channels, messages, recalls and reads",
      description:
        "In order: users, groups, directs, messages (at `sent_at`), recalls, reads — each made by the app's own services. A `ref` names a channel or message for later entries. A refusal answers 400 naming the entry (not atomic: what came before stays).",
      requestExample: {
        users: [{ uid: "zoe", name: "Zoe" }],
        groups: [{ ref: "team", name: "Team", owner: "alice", members: ["bob", "zoe"], admins: ["bob"] }],
        messages: [{ ref: "hello", channel: "team", from: "alice", content: "hello", sent_at: "2026-01-01T12:00:00Z" }],
        reads: [{ channel: "team", uid: "bob", up_to: "hello" }],
      },
      responses: { 200: { description: "The ids created, in input order.", schema: seedAnswerSchema } },
    }),
    async (c) => c.json(await seedData(c.var.ctx, c.req.valid("json")), 200),
  )
  .get(
    "/test/clock",
    testOperation({
      summary: "The server's clock",
      responses: { 200: { description: "The clock every rule reads.", schema: clockAnswerSchema } },
    }),
    (c) => c.json(clockAnswer(), 200),
  )
  .post(
    "/test/clock",
    testOperation({
      body: clockBodySchema,
      summary: "Move the server's clock",
      description:
        "Every rule follows: the recall window, can_recall, receipt flushing, retention, rate limits, token and session expiry. Sockets get `test:clock`.",
      requestExample: { advance_ms: 130000 },
      responses: { 200: { description: "The clock after the change.", schema: clockAnswerSchema } },
    }),
    (c) => c.json(changeClock(c.var.ctx, c.req.valid("json")), 200),
  )
  .post(
    "/test/session",
    testOperation({
      body: sessionBodySchema,
      summary: "Sign a user in without a password",
      description: "A bearer token and a Playwright storageState holding the Auth.js session cookie for this origin. No rate limit.",
      requestExample: { uid: "bob" },
      responses: { 200: { description: "Credentials for the user.", schema: sessionAnswerSchema } },
      errors: [404],
    }),
    async (c) => c.json(await testSession(c.var.ctx, { uid: c.req.valid("json").uid, origin: origin(c.req.url) }), 200),
  )
  .post(
    "/test/rate-limits",
    testOperation({
      body: rateLimitsBodySchema,
      summary: "Switch rate limiting",
      description: "`false`: no request is limited until this is called with `true` or the next reset.",
      requestExample: { enabled: false },
      responses: { 200: { description: "Whether limiting is on now.", schema: rateLimitsAnswerSchema } },
    }),
    (c) => {
      const { limiter } = c.var.ctx;
      limiter.enabled = c.req.valid("json").enabled;
      return c.json({ enabled: limiter.enabled }, 200);
    },
  )
  .post(
    "/test/webhook",
    testOperation({
      body: testWebhookBodySchema,
      maxBodyBytes: 2 * 1024 * 1024,
      summary: "Send a WuKongIM webhook event",
      description:
        "Posts `body` (as JSON) or `raw` (verbatim) to the real webhook route with the configured secret, as WuKongIM does, and answers what it answered.",
      requestExample: { event: "user.onlinestatus", body: ["bob-1-1-1001-1-1"] },
      responses: { 200: { description: "The webhook's status and body.", schema: testWebhookAnswerSchema } },
    }),
    async (c) => {
      const b = c.req.valid("json");
      return c.json(
        await postToWebhook({ origin: origin(c.req.url), event: b.event, body: "raw" in b ? b.raw : JSON.stringify(b.body) }),
        200,
      );
    },
  );

/** What the gate needs to know about a route (app.ts): a test-mode route with test mode off is no route at all. */
export const isHiddenTestRoute = (path: string) => path.startsWith("/api/test/") && !testModeOn();
