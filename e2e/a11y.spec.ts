import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { asPeople, createGroup, expect, messageWithText, openChannel, test } from "./support/fixtures";

/** axe-core's serious and critical findings (WCAG 2 A/AA), as "rule: count" lines. */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.length} (${v.nodes[0]?.target.join(" ")})`);
}

test("login has no serious accessibility violations", async ({ page }) => {
  await page.goto("/login");
  expect(await seriousViolations(page)).toEqual([]);
});

test("chat, its dialogs and every admin page have no serious accessibility violations", async ({ browser }) => {
  // Eleven full axe scans in one test: more than the default minute on a busy 2-core machine.
  test.setTimeout(180_000);
  await asPeople(browser, ["alice", "admin"], async ([alice, admin]) => {
    const id = await createGroup(alice.page, "Accessible", ["bob"]);
    await alice.page.request.post(`/api/channels/${id}/messages`, { data: { payload: { type: 1, content: "hello https://example.com" } } });
    await openChannel(alice.page, id);
    await expect(messageWithText(alice.page, "hello")).toBeVisible();
    expect(await seriousViolations(alice.page)).toEqual([]);
    for (const opener of ["New message", "New group", "2 members"]) {
      await alice.page.getByRole("button", { name: opener }).click();
      await expect(alice.page.getByRole("dialog")).toBeVisible();
      expect(await seriousViolations(alice.page), opener).toEqual([]);
      await alice.page.keyboard.press("Escape");
      await expect(alice.page.getByRole("dialog")).toHaveCount(0);
    }
    await messageWithText(alice.page, "hello").getByRole("button", { name: "Recall", exact: true }).click();
    expect(await seriousViolations(alice.page), "recall dialog").toEqual([]);
    await alice.page.keyboard.press("Escape");

    for (const path of [
      "/admin",
      "/admin/revocations",
      "/admin/receipts",
      "/admin/webhooks",
      "/admin/push",
      "/admin/presence",
      "/admin/users",
      "/admin/health",
    ]) {
      await admin.page.goto(path);
      await expect(admin.page.getByRole("main")).toBeVisible();
      await expect(admin.page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await seriousViolations(admin.page), path).toEqual([]);
    }
  });
});

test("keyboard: focus returns to the opener when a dialog closes; channel rows show focus; new messages are announced", async ({
  browser,
}) => {
  await asPeople(browser, ["alice", "bob"], async ([alice, bob]) => {
    const id = await createGroup(alice.page, "Keyboard", ["bob"]);
    await openChannel(bob.page, id);
    const opener = bob.page.getByRole("button", { name: "New group" });
    await opener.focus();
    await bob.page.keyboard.press("Enter");
    await expect(bob.page.getByRole("dialog")).toBeVisible();
    await bob.page.keyboard.press("Escape");
    await expect(opener).toBeFocused();

    const row = bob.page.locator(`[data-testid="channel"][data-channel-id="${id}"]`);
    await row.focus();
    const outline = await row.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe("none");

    await alice.page.request.post(`/api/channels/${id}/messages`, { data: { payload: { type: 1, content: "can you hear me" } } });
    await expect(bob.page.getByTestId("live-announcer")).toHaveText("New message from Alice: can you hear me");
  });
});

test("dark mode follows the system setting", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, colorScheme: "dark" });
  const page = await context.newPage();
  try {
    await page.goto("/login");
    const background = await page.locator("body").evaluate((el) => getComputedStyle(el).backgroundColor);
    const [r, g, b] = background.match(/\d+/g)?.map(Number) ?? [255, 255, 255];
    expect(r + g + b).toBeLessThan(150);
    expect(await seriousViolations(page)).toEqual([]);
  } finally {
    await context.close();
  }
});
