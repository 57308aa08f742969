import { handler } from "@/lib/api/handler";
import { listRevocations, revocationsQuerySchema } from "@/lib/admin/revocations";

export const GET = handler({ access: "admin", query: revocationsQuerySchema }, ({ query }) => listRevocations(query));
