import { handler } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";
import { createGroup, createGroupSchema, listChannels } from "@/lib/chat/channels";

export const GET = handler({ access: "user" }, ({ actor }) => listChannels({ actor }));

export const POST = handler({ access: "user", body: createGroupSchema }, async ({ actor, body }) =>
  json(await createGroup({ actor, input: body }), 201),
);
