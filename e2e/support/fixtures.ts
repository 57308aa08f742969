import type { Browser, BrowserContextOptions, Page } from "@playwright/test";
import { expect, imdeskTarget, TestMode, test } from "imdesk/playwright";

// The repo's own e2e suite runs on the kit (imdesk/playwright): data reset
// before each test, sessions instead of the sign-in form. Only the sign-in
// tests use signIn below; new tests use the kit's fixtures (as, people, seed,
// clock) directly. The helpers here keep older specs short.
export { expect, test };

/** Signs in through the real login page, as a person would: for the tests about sign-in itself. */
export async function signIn(page: Page, uid: string, password = "demo-password") {
  await page.goto("/login");
  await page.getByLabel("Username").fill(uid);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/chat");
}

/** A separate browser context (its own cookies) signed in as uid through a test-mode session, on /chat. */
export async function openWindowAs(browser: Browser, uid: string, options: BrowserContextOptions = {}) {
  const target = imdeskTarget();
  const { storage_state } = await new TestMode(target).session(uid);
  const context = await browser.newContext({
    ...options,
    baseURL: target.url,
    storageState: storage_state as BrowserContextOptions["storageState"],
  });
  const page = await context.newPage();
  await page.goto("/chat");
  return { context, page };
}

/**
 * Runs fn with one signed-in window per uid, closing every window afterwards,
 * also when fn fails.
 */
export async function asPeople(
  browser: Browser,
  uids: string[],
  fn: (windows: Awaited<ReturnType<typeof openWindowAs>>[]) => Promise<void>,
) {
  const windows: Awaited<ReturnType<typeof openWindowAs>>[] = [];
  try {
    for (const uid of uids) windows.push(await openWindowAs(browser, uid));
    await fn(windows);
  } finally {
    for (const w of windows) await w.context.close();
  }
}

export async function openChannel(page: Page, channelId: string) {
  await page.locator(`[data-testid="channel"][data-channel-id="${channelId}"]`).click();
  await expect(page.getByLabel("Message")).toBeVisible();
}

/** Creates a group through the API with the page's session cookie. */
export async function createGroup(page: Page, name: string, members: string[]): Promise<string> {
  const res = await page.request.post("/api/channels", { data: { name, members } });
  expect(res.status()).toBe(201);
  return (await res.json()).channel_id;
}

export const messages = (page: Page) => page.getByTestId("message");
export const messageWithText = (page: Page, text: string) => page.getByTestId("message").filter({ hasText: text });
