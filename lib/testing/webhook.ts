import { runtimeSecrets } from "@/lib/config";

/**
 * POST /api/test/webhook: a WuKongIM-shaped event sent to the real webhook
 * route over HTTP, with the configured secret in its path — the same request
 * WuKongIM makes, through the same code.
 */
export async function postToWebhook({ origin, event, body }: { origin: URL; event: string; body: string }) {
  const secret = runtimeSecrets().webhookSecret ?? "";
  const url = new URL(`/api/webhooks/wukongim/${encodeURIComponent(secret)}?event=${encodeURIComponent(event)}`, origin);
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed };
}
