import { handler } from "@/lib/api/handler";
import { webhookStats } from "@/lib/admin/logs";

export const GET = handler({ access: "admin" }, () => webhookStats());
