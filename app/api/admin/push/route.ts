import { handler } from "@/lib/api/handler";
import { listPush, pushQuerySchema } from "@/lib/admin/logs";

export const GET = handler({ access: "admin", query: pushQuerySchema }, ({ query }) => listPush(query));
