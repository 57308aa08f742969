import { handler } from "@/lib/api/handler";
import { channelParams } from "@/lib/api/params";
import { markRead, readSchema } from "@/lib/receipts/service";

export const POST = handler({ access: "user", params: channelParams, body: readSchema }, ({ actor, params, body }) =>
  markRead({ actor, channelId: params.channel_id, seq: body.message_seq }),
);
