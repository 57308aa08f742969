import { handler } from "@/lib/api/handler";
import { channelParams } from "@/lib/api/params";
import { changesQuerySchema, getChanges } from "@/lib/revoke/changes";

export const GET = handler({ access: "user", params: channelParams, query: changesQuerySchema }, ({ actor, params, query }) =>
  getChanges({ actor, channelId: params.channel_id, query }),
);
