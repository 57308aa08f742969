import { handler } from "@/lib/api/handler";
import { channelParams } from "@/lib/api/params";
import { removeMember, uidSchema } from "@/lib/chat/channels";

export const DELETE = handler({ access: "user", params: channelParams.extend({ uid: uidSchema }) }, ({ actor, params }) =>
  removeMember({ actor, channelId: params.channel_id, uid: params.uid }),
);
