import { startImdesk } from "./server";

/**
 * `globalSetup: "imdesk/playwright/global-setup"`: starts one imdesk in test
 * mode for the whole run and stops it afterwards, also when tests fail. When
 * IMDESK_URL (or E2E_BASE_URL) is already set it starts nothing and the kit
 * uses that server — it never overwrites what the caller chose.
 */
export default async function globalSetup() {
  if (process.env.IMDESK_URL || process.env.E2E_BASE_URL) return;
  const server = await startImdesk();
  // Workers start after this and inherit the environment.
  process.env.IMDESK_URL = server.url;
  process.env.E2E_BASE_URL = server.url;
  process.env.IMDESK_TEST_TOKEN = server.token;
  return server.stop;
}
