import { handler } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";
import { directChannelSchema, openDirect } from "@/lib/chat/channels";

/** Opens (creating on first use) the direct conversation with a user: 201 when new, 200 when it existed. */
export const POST = handler({ access: "user", body: directChannelSchema }, async ({ actor, body }) => {
  const { created, ...channel } = await openDirect({ actor, uid: body.uid });
  return json(channel, created ? 201 : 200);
});
