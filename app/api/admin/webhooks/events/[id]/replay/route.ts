import { handler } from "@/lib/api/handler";
import { replayDelivery, replayParams } from "@/lib/webhooks/wukongim/receive";

export const POST = handler({ access: "admin", params: replayParams }, ({ params }) => replayDelivery(params.id));
