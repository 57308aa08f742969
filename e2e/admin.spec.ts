import { readFile } from "node:fs/promises";
import { expect, messageWithText, openChannel, openWindowAs, test } from "./support/fixtures";

test("a revoke appears live on the admin's revocations page; CSV export downloads the filtered rows", async ({ browser }) => {
  const admin = await openWindowAs(browser, "admin");
  const alice = await openWindowAs(browser, "alice");
  try {
    await admin.page.goto("/admin/revocations");
    await expect(admin.page.getByRole("heading", { name: "Revocations" })).toBeVisible();
    const table = admin.page.getByTestId("revocations-table");

    await openChannel(alice.page, "general");
    const text = `audit me ${Date.now()}`;
    await alice.page.getByLabel("Message").fill(text);
    await alice.page.getByLabel("Message").press("Enter");
    const mine = messageWithText(alice.page, text);
    await expect(mine).toHaveAttribute("data-message-id", /^[0-9]+$/);
    const id = (await mine.getAttribute("data-message-id")) ?? "";
    await mine.getByRole("button", { name: "Recall", exact: true }).click();
    await alice.page.getByRole("dialog").getByRole("button", { name: "Confirm recall" }).click();

    const row = table.getByTestId("row").filter({ hasText: id });
    await expect(row).toBeVisible();
    await expect(row).toContainText("alice");
    await expect(row).toContainText("sender");

    // The detail shows the retained original to the admin.
    await row.click();
    await expect(admin.page.getByTestId("original-content")).toContainText(text);
    await admin.page.getByRole("dialog").getByRole("button", { name: "Close" }).click();

    // Filter to alice, export: the file holds exactly the filtered rows.
    await admin.page.getByLabel("Filter by sender").fill("alice");
    await admin.page.getByRole("button", { name: "Apply filters" }).click();
    await expect(table.getByTestId("row").first()).toContainText("alice");
    const shown = await table.getByTestId("row").count();
    const download = admin.page.waitForEvent("download");
    await admin.page.getByRole("link", { name: "Export CSV" }).click();
    const file = await (await download).path();
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    expect(lines[0]).toBe("message_id,channel_id,sender_uid,revoked_by,rule,reason,sent_at,revoked_at,seconds_between");
    expect(lines.length - 1).toBe(shown);
    expect(lines.slice(1).every((l) => l.split(",")[2] === '"alice"')).toBe(true);
    expect(lines.some((l) => l.startsWith(`"${id}"`))).toBe(true);
  } finally {
    await admin.context.close();
    await alice.context.close();
  }
});

test("every admin page renders for an admin", async ({ browser }) => {
  const admin = await openWindowAs(browser, "admin");
  try {
    for (const [path, heading] of [
      ["/admin", "Overview"],
      ["/admin/receipts", "Receipts"],
      ["/admin/webhooks", "Webhook deliveries"],
      ["/admin/push", "Push log"],
      ["/admin/presence", "Presence"],
      ["/admin/users", "Users"],
      ["/admin/health", "Health"],
    ]) {
      await admin.page.goto(path);
      await expect(admin.page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
      await expect(admin.page.getByRole("alert").filter({ hasText: /Could not load/ })).toHaveCount(0);
    }
    await expect(admin.page.getByTestId("webhook-config")).toContainText("/api/webhooks/wukongim/");
  } finally {
    await admin.context.close();
  }
});
