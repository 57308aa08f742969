import { z } from "zod";
import { channelIdSchema } from "@/lib/chat/channels";
import { messageIdSchema } from "@/lib/receipts/service";

export const channelParams = z.object({ channel_id: channelIdSchema });
export const messageParams = z.object({ message_id: messageIdSchema });
