import { handler } from "@/lib/api/handler";
import { presenceList } from "@/lib/admin/logs";

export const GET = handler({ access: "admin" }, () => presenceList());
