import { z } from "zod";
import { channelIdSchema, existingUidSchema, messageIdSchema } from "@/lib/contracts/ids";

export const channelParams = z.object({ channel_id: channelIdSchema });
export const messageParams = z.object({ message_id: messageIdSchema });
// Existing members: accounts made before uids lost `@` stay removable (see existingUidSchema).
export const memberParams = channelParams.extend({ uid: existingUidSchema });
