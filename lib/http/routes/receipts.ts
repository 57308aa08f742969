import { Hono } from "hono";
import { readCursorSchema, receiptsAnswerSchema } from "@/lib/contracts/chat";
import { getReceipts, markRead, readSchema } from "@/lib/receipts/service";
import { actorOf, type HttpEnv, operation } from "../operation";
import { channelParams, messageParams } from "../params";

/** Read cursors and group read receipts (docs/api.md § Receipts). */
export const receiptRoutes = new Hono<HttpEnv>()
  .post(
    "/channels/:channel_id/read",
    operation({
      access: "user",
      params: channelParams,
      body: readSchema,
      requestExample: { message_seq: 42 },
      summary: "Move my read cursor",
      description: "The cursor only moves forward; a lower seq is a no-op.",
      tags: ["Receipts"],
      responses: { 200: { description: "The cursor now.", schema: readCursorSchema } },
      errors: [404, 429],
    }),
    async (c) =>
      c.json(
        await markRead(c.var.ctx, { actor: actorOf(c), channelId: c.req.valid("param").channel_id, seq: c.req.valid("json").message_seq }),
        200,
      ),
  )
  .get(
    "/messages/:message_id/receipts",
    operation({
      access: "user",
      params: messageParams,
      summary: "Who read a message",
      description:
        "Counts and read/unread lists, only for the sender, the channel's owner/admins and system admins: counts polled over time would tell any member who read when, so other members get 403 `not_allowed`.",
      tags: ["Receipts"],
      responses: { 200: { description: "Exact counts and both lists.", schema: receiptsAnswerSchema } },
      errors: [404],
    }),
    async (c) => c.json(await getReceipts(c.var.ctx, { actor: actorOf(c), messageId: c.req.valid("param").message_id }), 200),
  );
