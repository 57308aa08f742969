import { Hono } from "hono";
import { getHistory, historyQuerySchema, sendMessage, sendMessageSchema } from "@/lib/chat/messages";
import { historyPageSchema, sendAnswerSchema } from "@/lib/contracts/chat";
import { actorOf, type HttpEnv, operation } from "../operation";
import { channelParams } from "../params";

/** History and sending (docs/api.md § Messages). */
export const messageRoutes = new Hono<HttpEnv>()
  .get(
    "/channels/:channel_id/messages",
    operation({
      access: "user",
      params: channelParams,
      query: historyQuerySchema,
      summary: "A page of history",
      tags: ["Messages"],
      responses: { 200: { description: "Messages in seq order, with receipt counts and my recall rights.", schema: historyPageSchema } },
      errors: [404],
    }),
    async (c) =>
      c.json(
        await getHistory(c.var.ctx, { actor: actorOf(c), channelId: c.req.valid("param").channel_id, query: c.req.valid("query") }),
        200,
      ),
  )
  .post(
    "/channels/:channel_id/messages",
    operation({
      access: "user",
      params: channelParams,
      body: sendMessageSchema,
      summary: "Send a message",
      description:
        "Idempotent by `client_msg_no`: 201 when stored, 200 when it was already; 202 when handed to WuKongIM and not yet back through its webhook.",
      tags: ["Messages"],
      responses: {
        200: { description: "Already sent (same client_msg_no).", schema: sendAnswerSchema },
        201: { description: "Stored.", schema: sendAnswerSchema },
        202: { description: "Accepted by WuKongIM, pending its webhook.", schema: sendAnswerSchema },
      },
      requestExample: { client_msg_no: "web-7f3a9c", payload: { type: 1, content: "Hello" } },
      errors: [404, 409, 429, 502],
    }),
    async (c) => {
      const { message, created, pending } = await sendMessage(c.var.ctx, {
        actor: actorOf(c),
        channelId: c.req.valid("param").channel_id,
        input: c.req.valid("json"),
      });
      if (pending) return c.json({ message, pending }, 202);
      return created ? c.json({ message }, 201) : c.json({ message }, 200);
    },
  );
