import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildIfNeeded } from "../scripts/build-if-needed";
import { startTestServer } from "../tests/support/server";

/** Where the kit finds the app: an already running one, or the one its global setup started. */
export interface ImdeskTarget {
  url: string;
  token: string;
}

/**
 * The running imdesk the kit talks to. `IMDESK_URL` + `IMDESK_TEST_TOKEN` name
 * one started by hand (`IMDESK_TEST_MODE=1 npm start`); the repo's own config
 * also accepts `E2E_BASE_URL`. Read at test time, not import time: the global
 * setup fills these in before the workers start.
 */
export function imdeskTarget(): ImdeskTarget {
  const url = process.env.IMDESK_URL ?? process.env.E2E_BASE_URL;
  const token = process.env.IMDESK_TEST_TOKEN;
  if (!url || !token) {
    throw new Error(
      "imdesk/playwright: no server. Set IMDESK_URL and IMDESK_TEST_TOKEN for a running imdesk in test mode, " +
        'or add `globalSetup: "imdesk/playwright/global-setup"` to playwright.config.ts to have the kit start one.',
    );
  }
  return { url: url.replace(/\/$/, ""), token };
}

/**
 * Starts imdesk as a user would (production build, embedded PostgreSQL under a
 * fresh DATA_DIR, demo seed) with test mode on and a fresh test token; answers
 * a stop function that also removes the data.
 */
export async function startImdesk(env: Record<string, string | undefined> = {}) {
  buildIfNeeded();
  const dataDir = await mkdtemp(path.join(tmpdir(), "imdesk-e2e-"));
  const token = randomBytes(24).toString("hex");
  const server = await startTestServer({
    DATA_DIR: dataDir,
    DATABASE_URL: undefined,
    DEMO_SEED: undefined,
    IMDESK_TEST_MODE: "1",
    IMDESK_TEST_TOKEN: token,
    ...env,
  });
  return {
    url: server.url,
    token,
    stop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
