import { handler } from "@/lib/api/handler";
import { overview } from "@/lib/admin/stats";

export const GET = handler({ access: "admin" }, () => overview());
