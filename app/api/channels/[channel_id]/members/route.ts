import { handler } from "@/lib/api/handler";
import { channelParams } from "@/lib/api/params";
import { addMembers, addMembersSchema, getMembers } from "@/lib/chat/channels";

export const GET = handler({ access: "user", params: channelParams }, ({ actor, params }) =>
  getMembers({ actor, channelId: params.channel_id }),
);

export const POST = handler(
  { access: "user", params: channelParams, body: addMembersSchema, maxBodyBytes: 1024 * 1024 },
  ({ actor, params, body }) => addMembers({ actor, channelId: params.channel_id, input: body }),
);
