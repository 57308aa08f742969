import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTestServer } from "../tests/support/server";
import { createGroup, expect, messageWithText, openChannel, openWindowAs, test } from "./support/fixtures";

test("alice recalls; bob's open window shows the placeholder live; carol opening later sees it too", async ({ browser }) => {
  const alice = await openWindowAs(browser, "alice");
  const bob = await openWindowAs(browser, "bob");
  try {
    const channelId = await createGroup(alice.page, "Recall demo", ["bob", "carol"]);
    await alice.page.reload();
    await bob.page.reload();
    await openChannel(alice.page, channelId);
    await openChannel(bob.page, channelId);

    const text = `secret ${Date.now()}`;
    await alice.page.getByLabel("Message").fill(text);
    await alice.page.getByRole("button", { name: "Send" }).click();
    const mine = messageWithText(alice.page, text);
    await expect(mine).toHaveAttribute("data-message-id", /^[0-9]+$/);
    const id = await mine.getAttribute("data-message-id");
    await expect(bob.page.locator(`[data-message-id="${id}"]`)).toContainText(text);

    // The Recall button is reachable by keyboard, without hovering.
    await mine.getByRole("button", { name: "Recall", exact: true }).focus();
    await alice.page.keyboard.press("Enter");
    const dialog = alice.page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Confirm recall" }).click();
    await expect(dialog).toHaveCount(0);

    const own = alice.page.locator(`[data-message-id="${id}"]`);
    await expect(own).toHaveAttribute("data-revoked", "true");
    await expect(own).toContainText("You recalled a message");
    await expect(own).not.toContainText(text);
    await expect(own.getByRole("button", { name: "Recall", exact: true })).toHaveCount(0);
    // The conversation's preview now reads "A message was recalled": it describes the entry, never names it,
    // so no role locator for the message's actions can land on the conversation list.
    const entry = alice.page.locator(`[data-testid="channel"][data-channel-id="${channelId}"]`);
    await expect(entry).toHaveAccessibleName("Recall demo");
    await expect(entry).toHaveAccessibleDescription("A message was recalled");
    await expect(alice.page.getByRole("button", { name: /recalled/ })).toHaveCount(0);

    const theirs = bob.page.locator(`[data-message-id="${id}"]`);
    await expect(theirs).toHaveAttribute("data-revoked", "true");
    await expect(theirs).toContainText("Alice recalled a message");
    await expect(theirs).not.toContainText(text);

    const carol = await openWindowAs(browser, "carol");
    try {
      await openChannel(carol.page, channelId);
      const seen = carol.page.locator(`[data-message-id="${id}"]`);
      await expect(seen).toHaveAttribute("data-revoked", "true");
      await expect(seen).toContainText("recalled a message");
      await expect(carol.page.getByText(text)).toHaveCount(0);
    } finally {
      await carol.context.close();
    }
  } finally {
    await alice.context.close();
    await bob.context.close();
  }
});

test("Recall disappears when the sender's window closes, without a reload", async ({ browser }) => {
  // A server of its own with a 3-second window.
  const dataDir = await mkdtemp(path.join(tmpdir(), "imdesk-e2e-window-"));
  const server = await startTestServer({ DATA_DIR: dataDir, DATABASE_URL: undefined, REVOKE_WINDOW_SECONDS: "3" });
  try {
    const alice = await openWindowAs(browser, "alice", server.url);
    await openChannel(alice.page, "general");
    await alice.page.getByLabel("Message").fill("short-lived");
    await alice.page.getByLabel("Message").press("Enter");
    const mine = messageWithText(alice.page, "short-lived");
    await expect(mine).toHaveAttribute("data-message-id", /^[0-9]+$/);
    // A countdown while it lasts…
    await expect(mine.getByRole("button", { name: "Recall", exact: true })).toContainText(/Recall · 0:0[0-3]/);
    await expect(mine.getByRole("button", { name: "Recall", exact: true })).toHaveCount(0, { timeout: 15_000 });
    // …then a plain note that the window has passed, where the button was.
    await expect(mine.getByTestId("recall-closed")).toHaveText("Recall window passed");
    const id = await mine.getAttribute("data-message-id");
    const res = await alice.page.request.post(`/api/messages/${id}/revoke`, { data: {} });
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe("revoke_window_expired");
    await alice.context.close();
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
