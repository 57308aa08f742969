import { Hono } from "hono";
import { z } from "zod";
import { deliveryAnswerSchema } from "@/lib/contracts/admin";
import { WEBHOOK_EVENTS } from "@/lib/contracts/enums";
import { receiveWebhook } from "@/lib/webhooks/wukongim/delivery";
import { messageRespSchema, offlineSchema } from "@/lib/wukongim/schemas";
import { type HttpEnv, nodeRequestOf, operation } from "../operation";

/** WuKongIM's webhook (docs/wukongim.md): the secret in the path, the event in the query, the body parsed big-int-safely. */
export const webhookRoutes = new Hono<HttpEnv>().post(
  "/webhooks/wukongim/:secret",
  operation({
    access: "public",
    raw: true,
    params: z.object({ secret: z.string() }),
    query: z.object({ event: z.enum(WEBHOOK_EVENTS) }),
    // WuKongIM's own bodies (docs/wukongim.md), from the schemas ingestion parses them with.
    body: z.union([
      z.array(messageRespSchema).meta({ title: "msg.notify", description: "A batch of MessageResp, as stored by WuKongIM." }),
      z.intersection(messageRespSchema, offlineSchema).meta({
        title: "msg.offline",
        description: "One MessageResp plus the uids without a connected master device (`to_uids`, or gzip+base64 in `compress_to_uids`).",
      }),
      z.array(z.string().meta({ example: "u_bob-0-1-1001-1-2" })).meta({
        title: "user.onlinestatus",
        description: '"uid-deviceFlag-online-connId-deviceOnlineCount-totalOnlineCount" (old servers send the first three parts).',
      }),
    ]),
    requestExample: [
      {
        header: { no_persist: 0, red_dot: 1, sync_once: 0 },
        message_id: 1893749282737152,
        message_idstr: "1893749282737152",
        client_msg_no: "c1",
        message_seq: 7,
        from_uid: "alice",
        channel_id: "general",
        channel_type: 2,
        timestamp: 1764504000,
        payload: "eyJ0eXBlIjoxLCJjb250ZW50IjoiaGkifQ==",
      },
    ],
    summary: "WuKongIM webhook",
    description:
      "Called by WuKongIM (`webhook.httpAddr`), not by people: the secret is the path segment, the event the query. Every delivery is recorded before the 200; invalid items are rejected one by one and the rest kept. Malformed JSON or an unknown event: 400, recorded as rejected.",
    tags: ["Webhooks"],
    responses: { 200: { description: "Recorded (durably, before this answer) and applied item by item.", schema: deliveryAnswerSchema } },
    errors: [401, 413],
  }),
  async (c) =>
    c.json(
      await receiveWebhook(c.var.ctx, {
        secret: c.req.param("secret"),
        event: new URL(c.req.url).searchParams.get("event"),
        req: c.req.raw,
        node: nodeRequestOf(c),
      }),
      200,
    ),
);
