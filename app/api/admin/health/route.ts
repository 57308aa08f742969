import { handler } from "@/lib/api/handler";
import { detailedHealth } from "@/lib/admin/health";

export const GET = handler({ access: "admin" }, ({ req }) => {
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? "localhost";
  const proto = req.headers.get("x-forwarded-proto") ?? "http";
  return detailedHealth(`${proto}://${host}`);
});
