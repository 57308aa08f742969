import { handler } from "@/lib/api/handler";
import { replayDelivery, replayParams } from "@/lib/webhooks/wukongim/replay";

export const POST = handler({ access: "admin", params: replayParams }, ({ params }) => replayDelivery(params.id));
