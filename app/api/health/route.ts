import { json } from "@/lib/api/respond";
import { checkHealth } from "@/lib/health";

export async function GET() {
  const health = await checkHealth();
  return json(health, health.status === "ok" ? 200 : 503, { "cache-control": "no-store" });
}
