import { handler } from "@/lib/api/handler";
import { channelParams } from "@/lib/api/params";
import { json } from "@/lib/api/respond";
import { getHistory, historyQuerySchema, sendMessage, sendMessageSchema } from "@/lib/chat/messages";

export const GET = handler({ access: "user", params: channelParams, query: historyQuerySchema }, ({ actor, params, query }) =>
  getHistory({ actor, channelId: params.channel_id, query }),
);

export const POST = handler({ access: "user", params: channelParams, body: sendMessageSchema }, async ({ actor, params, body }) => {
  const { message, created } = await sendMessage({ actor, channelId: params.channel_id, input: body });
  return json({ message }, created ? 201 : 200);
});
