import { createHash, timingSafeEqual } from "node:crypto";
import { runtimeSecrets } from "@/lib/config";
import { ApiError } from "@/lib/errors";

/** WuKongIM sends no signature: the secret is in the path. Compared in constant time (digests of equal length). */
export function checkWebhookSecret(given: string) {
  const expected = runtimeSecrets().webhookSecret;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  if (!expected || !timingSafeEqual(digest(given), digest(expected))) {
    throw new ApiError("invalid_secret", "Unknown webhook address.");
  }
}
