import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface GeneratedSecrets {
  auth_secret: string;
  webhook_secret: string;
  pg_password: string;
}

/**
 * Secrets the user did not set are generated once and kept in DATA_DIR, so
 * sessions, the webhook address and the embedded database survive restarts.
 */
export function loadOrCreateSecrets(dataDir: string): GeneratedSecrets {
  const file = path.resolve(dataDir, "secrets.json");
  const existing: Partial<GeneratedSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const secrets: GeneratedSecrets = {
    auth_secret: existing.auth_secret ?? randomBytes(32).toString("base64url"),
    webhook_secret: existing.webhook_secret ?? randomBytes(24).toString("base64url"),
    pg_password: existing.pg_password ?? randomBytes(18).toString("base64url"),
  };
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}
