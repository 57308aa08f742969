import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createGroup, expect, messageWithText, openChannel, openWindowAs, test } from "./support/fixtures";

/** Every axe finding (WCAG 2 A/AA, any impact), one line per element. */
async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")}`));
}

test("on a 390 px phone, light and dark: the conversation list, a message's hooks, the recall and members dialogs — keyboard only, no axe violations", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const alice = await openWindowAs(browser, "alice");
  try {
    const page = alice.page;
    await page.setViewportSize({ width: 390, height: 844 });
    const id = await createGroup(page, "Phone", ["bob"]);
    await page.request.post(`/api/channels/${id}/messages`, { data: { payload: { type: 1, content: "small screen" } } });
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto("/chat");
      const entry = page.locator(`[data-testid="channel"][data-channel-id="${id}"]`);
      await expect(entry).toHaveAccessibleName("Phone");
      await expect(entry).toHaveAccessibleDescription("small screen");
      expect(await violations(page), `${colorScheme}: conversations`).toEqual([]);

      await openChannel(page, id);
      const mine = messageWithText(page, "small screen");
      await expect(mine).toHaveAttribute("data-message-id", /^[0-9]+$/);
      await expect(mine).toHaveAttribute("data-from-uid", "alice");
      await expect(mine.getByTestId("receipt-count")).toHaveAttribute("data-read-count", "0");
      await expect(mine.getByTestId("receipt-count")).toHaveAttribute("data-unread-count", "1");
      expect(await violations(page), `${colorScheme}: conversation`).toEqual([]);

      // Recall: keyboard in, the confirm named apart, Escape out, focus back on the message's action.
      const recall = mine.getByRole("button", { name: "Recall", exact: true });
      await recall.focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "Recall this message?" });
      await expect(dialog.getByRole("button", { name: "Confirm recall" })).toBeVisible();
      await expect(dialog.locator(":focus")).toHaveCount(1);
      expect(await violations(page), `${colorScheme}: recall dialog`).toEqual([]);
      await page.keyboard.press("Escape");
      await expect(dialog).toHaveCount(0);
      await expect(recall).toBeFocused();

      // Members: what the owner may do, from the server's can_* fields.
      const opener = page.getByRole("button", { name: "2 members" });
      await opener.focus();
      await page.keyboard.press("Enter");
      const members = page.getByRole("dialog", { name: "Members of Phone" });
      await expect(members.getByRole("button", { name: "Make Bob admin" })).toBeVisible();
      await expect(members.getByRole("button", { name: "Remove Bob" })).toBeVisible();
      await expect(members.getByRole("button", { name: "Leave group" })).toHaveCount(0);
      expect(await violations(page), `${colorScheme}: members dialog`).toEqual([]);
      await page.keyboard.press("Escape");
      await expect(members).toHaveCount(0);
      await expect(opener).toBeFocused();
    }
  } finally {
    await alice.context.close();
  }
});
