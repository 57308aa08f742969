import { handler } from "@/lib/api/handler";
import { receiptStats, receiptStatsQuerySchema } from "@/lib/admin/stats";

export const GET = handler({ access: "admin", query: receiptStatsQuerySchema }, ({ query }) => receiptStats(query));
