import { chromium } from "@playwright/test";
import { startTestServer } from "/work/main/tests/support/server";
import { mkdtemp } from "node:fs/promises";
const dir = await mkdtemp("/tmp/imdesk-shot-");
const server = await startTestServer({ DATA_DIR: dir, DATABASE_URL: undefined });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const login = async (uid: string) => {
    const ctx = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 720 } });
    const page = await ctx.newPage();
    page.on("console", (m) => console.log(uid, "console:", m.text()));
    await page.goto("/login");
    await page.getByLabel("Username").fill(uid);
    await page.getByLabel("Password").fill("demo-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/chat");
    return page;
  };
  const a = await login("alice");
  const b = await login("bob");
  await a.locator('[data-channel-id="general"]').click();
  await b.locator('[data-channel-id="general"]').click();
  await a.getByLabel("Message").fill("one"); await a.getByLabel("Message").press("Enter");
  await a.waitForTimeout(1500);
  console.log("bob focus", await b.evaluate(() => [document.hasFocus(), document.visibilityState]));
  console.log("alice focus", await a.evaluate(() => [document.hasFocus(), document.visibilityState]));
  const r = await b.request.get("/api/channels");
  console.log((await r.json()).channels[0].last_read_seq);
  console.log(await a.getByTestId("receipt-count").allTextContents());
} finally {
  await browser.close();
  await server.stop();
}
