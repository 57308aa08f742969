import { type Browser, test as base, expect, type Page } from "@playwright/test";

export { expect };

export const test = base.extend({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
  baseURL: async ({}, use) => use(process.env.E2E_BASE_URL),
});

/** Signs in through the real login page, as a person would. */
export async function signIn(page: Page, uid: string, password = "demo-password") {
  await page.goto("/login");
  await page.getByLabel("Username").fill(uid);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/chat");
}

/** A separate browser context (its own cookies) signed in as uid: one person's window. */
export async function openWindowAs(browser: Browser, uid: string, baseURL = process.env.E2E_BASE_URL) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, uid);
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
