import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Config, config, runtimeSecrets } from "@/lib/config";
import { ApiError } from "@/lib/errors";

export const TEST_TOKEN_HEADER = "x-imdesk-test-token";

/** Whether this server runs in test mode (IMDESK_TEST_MODE=1): /api/test/* exists only then. */
export function testModeOn(): boolean {
  return config().IMDESK_TEST_MODE;
}

/**
 * What boot does for test mode, before the database is touched: refuse a
 * production server on a database it does not own (a reset wipes every
 * table), settle the token (IMDESK_TEST_TOKEN, or generated once into
 * DATA_DIR/test-token) and say loudly that the mode is on.
 */
export function prepareTestMode(cfg: Config, dataDir: string, log: (msg: string) => void): string | undefined {
  if (!cfg.IMDESK_TEST_MODE) return undefined;
  if (cfg.NODE_ENV === "production" && cfg.DATABASE_URL && !cfg.IMDESK_TEST_MODE_ALLOW_EXTERNAL_DB)
    throw new Error(
      "IMDESK_TEST_MODE=1 with NODE_ENV=production and DATABASE_URL: test mode can wipe that database (POST /api/test/reset). Refusing to start; set IMDESK_TEST_MODE_ALLOW_EXTERNAL_DB=1 if this database is a throwaway.",
    );
  const token = cfg.IMDESK_TEST_TOKEN ?? loadOrCreateTestToken(dataDir);
  log("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
  log("TEST MODE IS ON (IMDESK_TEST_MODE=1): /api/test/* can reset the database,");
  log("move the clock and sign anyone in. Never run it with real data.");
  log(`test token (header X-Imdesk-Test-Token): ${token}`);
  log("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
  return token;
}

function loadOrCreateTestToken(dataDir: string): string {
  const file = path.resolve(dataDir, "test-token");
  if (existsSync(file)) {
    const kept = readFileSync(file, "utf8").trim();
    if (kept.length >= 16) return kept;
  }
  const token = randomBytes(24).toString("base64url");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** 401 unless the request carries the test token (compared in constant time). */
export function assertTestToken(headers: Headers) {
  const expected = runtimeSecrets().testToken;
  const given = headers.get(TEST_TOKEN_HEADER);
  if (!expected || !given || !timingSafeEqual(digest(given), digest(expected)))
    throw new ApiError("invalid_test_token", `Send the test token in ${TEST_TOKEN_HEADER}.`);
}
