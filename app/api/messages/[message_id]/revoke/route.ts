import { handler } from "@/lib/api/handler";
import { messageParams } from "@/lib/api/params";
import { revokeMessage, revokeSchema } from "@/lib/revoke/service";

export const POST = handler({ access: "user", params: messageParams, body: revokeSchema }, ({ actor, params, body }) =>
  revokeMessage({ actor, messageId: params.message_id, reason: body.reason, hint: body }),
);
