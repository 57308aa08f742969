import { Hono } from "hono";
import { revokeRecordSchema } from "@/lib/contracts/chat";
import { revokeMessage, revokeSchema } from "@/lib/revoke/service";
import { actorOf, type HttpEnv, operation } from "../operation";
import { messageParams } from "../params";

/** Recall a message (docs/api.md § Revoke). */
export const revokeRoutes = new Hono<HttpEnv>().post(
  "/messages/:message_id/revoke",
  operation({
    access: "user",
    params: messageParams,
    body: revokeSchema,
    summary: "Recall a message",
    description: "The sender within the revoke window, or the channel's owner/admins, or a system admin. Idempotent.",
    tags: ["Revoke"],
    responses: { 200: { description: "Recalled (or already recalled).", schema: revokeRecordSchema } },
    errors: [404, 429, 502],
    requestExample: { reason: "sent to the wrong group" },
  }),
  async (c) => {
    const { message_id } = c.req.valid("param");
    const body = c.req.valid("json");
    return c.json(await revokeMessage(c.var.ctx, { actor: actorOf(c), messageId: message_id, reason: body.reason, hint: body }), 200);
  },
);
