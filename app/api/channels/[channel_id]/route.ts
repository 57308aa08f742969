import { handler } from "@/lib/api/handler";
import { channelParams } from "@/lib/api/params";
import { renameChannelSchema, renameGroup } from "@/lib/chat/channels";

export const PATCH = handler({ access: "user", params: channelParams, body: renameChannelSchema }, ({ actor, params, body }) =>
  renameGroup({ actor, channelId: params.channel_id, name: body.name }),
);
