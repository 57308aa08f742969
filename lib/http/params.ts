import { z } from "zod";
import { channelIdSchema, messageIdSchema, uidSchema } from "@/lib/contracts/ids";

export const channelParams = z.object({ channel_id: channelIdSchema });
export const messageParams = z.object({ message_id: messageIdSchema });
export const memberParams = channelParams.extend({ uid: uidSchema });
