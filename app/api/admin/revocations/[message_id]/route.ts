import { handler } from "@/lib/api/handler";
import { messageParams } from "@/lib/api/params";
import { getRevocation } from "@/lib/admin/revocations";

export const GET = handler({ access: "admin", params: messageParams }, ({ params }) => getRevocation(params.message_id));
