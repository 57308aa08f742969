import { handler } from "@/lib/api/handler";
import { channelParams } from "@/lib/api/params";
import { memberRoleSchema, removeMember, setRole } from "@/lib/chat/channels";
import { existingUidSchema } from "@/lib/contracts/ids";

const params = channelParams.extend({ uid: existingUidSchema });

export const DELETE = handler({ access: "user", params }, ({ actor, params }) => removeMember({ actor, channelId: params.channel_id, uid: params.uid }));

/** `{"role":"admin"|"member"}`: the owner promotes or demotes. */
export const PATCH = handler({ access: "user", params, body: memberRoleSchema }, ({ actor, params, body }) =>
  setRole({ actor, channelId: params.channel_id, uid: params.uid, role: body.role }),
);
