import { Hono } from "hono";
import { z } from "zod";
import { detailedHealth } from "@/lib/admin/health";
import {
  getWebhookEventDetail,
  listPush,
  listWebhookEvents,
  presenceList,
  pushQuerySchema,
  webhookEventsQuerySchema,
  webhookStats,
} from "@/lib/admin/logs";
import { getRevocation, listRevocations, revocationsQuerySchema, streamRevocationsCsv } from "@/lib/admin/revocations";
import { overview, receiptStats, receiptStatsQuerySchema } from "@/lib/admin/stats";
import { createUser, createUserSchema, listUsers, setUserDisabled, updateUserSchema, usersQuerySchema } from "@/lib/admin/users";
import { nowDate } from "@/lib/clock";
import {
  adminPageSchema,
  deliveryAnswerSchema,
  healthReportSchema,
  overviewSchema,
  presenceItemSchema,
  pushItemSchema,
  receiptsChannelDetailSchema,
  receiptsChannelStatSchema,
  revocationDetailSchema,
  revocationItemSchema,
  userItemSchema,
  webhookEventDetailSchema,
  webhookEventItemSchema,
  webhookStatsSchema,
} from "@/lib/contracts/admin";
import { existingUidSchema } from "@/lib/contracts/ids";
import { replayDelivery, replayParams } from "@/lib/webhooks/wukongim/replay";
import { actorOf, type HttpEnv, operation } from "../operation";
import { messageParams } from "../params";

const tags: ["Admin"] = ["Admin"];

/** The admin console's data: administrators only. */
export const adminRoutes = new Hono<HttpEnv>()
  .get(
    "/admin/overview",
    operation({
      access: "admin",
      summary: "Totals and activity by hour",
      tags,
      responses: { 200: { description: "The dashboard.", schema: overviewSchema } },
    }),
    async (c) => c.json(await overview(c.var.ctx), 200),
  )
  .get(
    "/admin/health",
    operation({
      access: "admin",
      summary: "Detailed health",
      tags,
      responses: { 200: { description: "Every part's state.", schema: healthReportSchema } },
    }),
    async (c) => {
      const h = c.req.raw.headers;
      const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
      const proto = h.get("x-forwarded-proto") ?? "http";
      return c.json(await detailedHealth(c.var.ctx, `${proto}://${host}`), 200);
    },
  )
  .get(
    "/admin/presence",
    operation({
      access: "admin",
      summary: "Devices online",
      tags,
      responses: { 200: { description: "Presence by device.", schema: adminPageSchema(presenceItemSchema) } },
    }),
    async (c) => c.json(await presenceList(c.var.ctx), 200),
  )
  .get(
    "/admin/push",
    operation({
      access: "admin",
      query: pushQuerySchema,
      summary: "Push decisions",
      tags,
      responses: { 200: { description: "A page of push decisions.", schema: adminPageSchema(pushItemSchema) } },
    }),
    async (c) => c.json(await listPush(c.var.ctx, c.req.valid("query")), 200),
  )
  .get(
    "/admin/receipts/stats",
    operation({
      access: "admin",
      query: receiptStatsQuerySchema,
      summary: "Read receipts by channel",
      description: "A page of channels, or with `channel_id` one channel's detail.",
      tags,
      responses: {
        200: {
          description: "Channel stats, or one channel's detail.",
          schema: z.union([adminPageSchema(receiptsChannelStatSchema), receiptsChannelDetailSchema]),
        },
      },
      errors: [404],
    }),
    async (c) => c.json(await receiptStats(c.var.ctx, c.req.valid("query")), 200),
  )
  .get(
    "/admin/revocations",
    operation({
      access: "admin",
      query: revocationsQuerySchema,
      summary: "Revocations",
      tags,
      responses: { 200: { description: "A page of revocations.", schema: adminPageSchema(revocationItemSchema) } },
    }),
    async (c) => c.json(await listRevocations(c.var.ctx, c.req.valid("query")), 200),
  )
  .get(
    "/admin/revocations/export",
    operation({
      access: "admin",
      query: revocationsQuerySchema,
      summary: "Revocations as CSV",
      tags,
      responses: { 200: { description: "The filtered revocations, streamed.", mediaType: "text/csv" } },
    }),
    async (c) => {
      const stamp = nowDate().toISOString().slice(0, 19).replaceAll(":", "-");
      return c.body(streamRevocationsCsv(c.var.ctx, c.req.valid("query")), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="revocations-${stamp}.csv"`,
        "cache-control": "no-store",
      });
    },
  )
  .get(
    "/admin/revocations/:message_id",
    operation({
      access: "admin",
      params: messageParams,
      summary: "One revocation",
      tags,
      responses: { 200: { description: "With the original content when kept.", schema: revocationDetailSchema } },
      errors: [404],
    }),
    async (c) => c.json(await getRevocation(c.var.ctx, c.req.valid("param").message_id), 200),
  )
  .get(
    "/admin/users",
    operation({
      access: "admin",
      query: usersQuerySchema,
      summary: "Users",
      tags,
      responses: { 200: { description: "A page of users.", schema: adminPageSchema(userItemSchema) } },
    }),
    async (c) => c.json(await listUsers(c.var.ctx, c.req.valid("query")), 200),
  )
  .post(
    "/admin/users",
    operation({
      access: "admin",
      body: createUserSchema,
      summary: "Create a user",
      tags,
      responses: { 201: { description: "Created.", schema: userItemSchema } },
      errors: [409],
    }),
    async (c) => c.json(await createUser(c.var.ctx, c.req.valid("json")), 201),
  )
  .patch(
    "/admin/users/:uid",
    operation({
      access: "admin",
      params: z.object({ uid: existingUidSchema }),
      body: updateUserSchema,
      summary: "Disable or enable a user",
      tags,
      responses: { 200: { description: "The user now.", schema: userItemSchema } },
      errors: [404],
    }),
    async (c) => c.json(await setUserDisabled(c.var.ctx, c.req.valid("param").uid, c.req.valid("json").disabled, actorOf(c).uid), 200),
  )
  .get(
    "/admin/webhooks/events",
    operation({
      access: "admin",
      query: webhookEventsQuerySchema,
      summary: "Webhook deliveries",
      tags,
      responses: { 200: { description: "A page of deliveries.", schema: adminPageSchema(webhookEventItemSchema) } },
    }),
    async (c) => c.json(await listWebhookEvents(c.var.ctx, c.req.valid("query")), 200),
  )
  .get(
    "/admin/webhooks/events/:id",
    operation({
      access: "admin",
      params: replayParams,
      summary: "One delivery's body",
      tags,
      responses: { 200: { description: "The body as received.", schema: webhookEventDetailSchema } },
      errors: [404],
    }),
    async (c) => c.json(await getWebhookEventDetail(c.var.ctx, c.req.valid("param").id), 200),
  )
  .post(
    "/admin/webhooks/events/:id/replay",
    operation({
      access: "admin",
      params: replayParams,
      summary: "Replay a delivery",
      description: "Idempotent: everything is keyed by message.",
      tags,
      responses: { 200: { description: "The replay's outcome.", schema: deliveryAnswerSchema } },
      errors: [404, 409],
    }),
    async (c) => c.json(await replayDelivery(c.var.ctx, c.req.valid("param").id), 200),
  )
  .get(
    "/admin/webhooks/stats",
    operation({
      access: "admin",
      summary: "Deliveries by hour",
      tags,
      responses: { 200: { description: "Counts by hour, event and status.", schema: webhookStatsSchema } },
    }),
    async (c) => c.json(await webhookStats(c.var.ctx), 200),
  );
