import { handler } from "@/lib/api/handler";
import { messageParams } from "@/lib/api/params";
import { getReceipts } from "@/lib/receipts/service";

export const GET = handler({ access: "user", params: messageParams }, ({ actor, params }) =>
  getReceipts({ actor, messageId: params.message_id }),
);
