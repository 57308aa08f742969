import { expect, openWindowAs, test } from "./support/fixtures";

test("the API reference renders in Chromium under the strict CSP, from the bundled script, and the admin console links to it", async ({
  browser,
}) => {
  const admin = await openWindowAs(browser, "admin");
  try {
    const page = admin.page;
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const offSite: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(new URL(page.url() || "http://x").origin) && !r.url().startsWith("data:") && !r.url().startsWith("blob:"))
        offSite.push(r.url());
    });
    await page.goto("/admin");
    await page.getByRole("link", { name: "API reference" }).click();
    await expect(page).toHaveURL(/\/docs\/api$/);
    // Scalar renders the document: its tags, and the first group's operation by its summary.
    await expect(page.getByRole("link", { name: /Get a bearer token/ })).toBeVisible({ timeout: 30_000 });
    for (const tag of ["Revoke", "Receipts", "Webhooks", "Admin"])
      await expect(page.getByRole("link", { name: tag, exact: true })).toBeVisible();
    expect(violations).toEqual([]);
    expect(offSite.filter((u) => !u.startsWith(new URL(page.url()).origin))).toEqual([]);
  } finally {
    await admin.context.close();
  }
});
