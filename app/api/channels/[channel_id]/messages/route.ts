import { handler } from "@/lib/api/handler";
import { channelParams } from "@/lib/api/params";
import { json } from "@/lib/api/respond";
import { getHistory, historyQuerySchema, sendMessage, sendMessageSchema } from "@/lib/chat/messages";

export const GET = handler({ access: "user", params: channelParams, query: historyQuerySchema }, ({ actor, params, query }) =>
  getHistory({ actor, channelId: params.channel_id, query }),
);

export const POST = handler({ access: "user", params: channelParams, body: sendMessageSchema }, async ({ actor, params, body }) => {
  const { message, created, pending } = await sendMessage({ actor, channelId: params.channel_id, input: body });
  // 202: handed to WuKongIM, not yet back through its webhook.
  return json({ message, ...(pending ? { pending } : {}) }, pending ? 202 : created ? 201 : 200);
});
