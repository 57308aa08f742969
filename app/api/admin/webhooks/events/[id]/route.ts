import { handler } from "@/lib/api/handler";
import { getWebhookEventDetail } from "@/lib/admin/logs";
import { replayParams } from "@/lib/webhooks/wukongim/replay";

export const GET = handler({ access: "admin", params: replayParams }, ({ params }) => getWebhookEventDetail(params.id));
