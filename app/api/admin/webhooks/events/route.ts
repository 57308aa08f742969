import { handler } from "@/lib/api/handler";
import { listWebhookEvents, webhookEventsQuerySchema } from "@/lib/admin/logs";

export const GET = handler({ access: "admin", query: webhookEventsQuerySchema }, ({ query }) => listWebhookEvents(query));
