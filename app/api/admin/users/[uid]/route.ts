import { z } from "zod";
import { handler } from "@/lib/api/handler";
import { setUserDisabled, updateUserSchema } from "@/lib/admin/users";
import { existingUidSchema } from "@/lib/contracts/ids";

export const PATCH = handler({ access: "admin", params: z.object({ uid: existingUidSchema }), body: updateUserSchema }, ({ actor, params, body }) =>
  setUserDisabled(params.uid, body.disabled, actor.uid),
);
