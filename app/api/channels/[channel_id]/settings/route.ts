import { handler } from "@/lib/api/handler";
import { channelParams } from "@/lib/api/params";
import { channelSettingsSchema, updateChannelSettings } from "@/lib/chat/channels";

export const PATCH = handler({ access: "user", params: channelParams, body: channelSettingsSchema }, ({ actor, params, body }) =>
  updateChannelSettings({ actor, channelId: params.channel_id, input: body }),
);
