import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildIfNeeded } from "../../scripts/build-if-needed";
import { startTestServer } from "../../tests/support/server";

/**
 * The app as a user starts it: embedded PostgreSQL under a fresh DATA_DIR,
 * demo seed, production build. Stopped (and its data removed) after the run,
 * also when tests fail.
 */
export default async function globalSetup() {
  buildIfNeeded();
  const dataDir = await mkdtemp(path.join(tmpdir(), "imdesk-e2e-"));
  const server = await startTestServer({ DATA_DIR: dataDir, DATABASE_URL: undefined, DEMO_SEED: undefined });
  process.env.E2E_BASE_URL = server.url;
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
