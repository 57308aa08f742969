import { createGroup, expect, messageWithText, openChannel, openWindowAs, test } from "./support/fixtures";

test("bob opens the channel and alice's 'Read by 1' appears live; bob's badge clears on his other window", async ({ browser }) => {
  const alice = await openWindowAs(browser, "alice");
  const bobPhone = await openWindowAs(browser, "bob");
  const bobLaptop = await openWindowAs(browser, "bob");
  try {
    const channelId = await createGroup(alice.page, `Receipts ${Date.now()}`, ["bob"]);
    await alice.page.reload();
    await openChannel(alice.page, channelId);
    const text = `did you read this ${Date.now()}`;
    await alice.page.getByLabel("Message").fill(text);
    await alice.page.getByLabel("Message").press("Enter");
    const mine = messageWithText(alice.page, text);
    await expect(mine.getByTestId("receipt-count")).toContainText("Read by 0");

    // Both of bob's windows show the unread badge.
    for (const w of [bobPhone, bobLaptop]) {
      await w.page.reload();
      await expect(w.page.locator(`[data-testid="channel"][data-channel-id="${channelId}"] [data-testid="unread-badge"]`)).toContainText(
        "1",
      );
    }
    await openChannel(bobPhone.page, channelId);
    await expect(messageWithText(bobPhone.page, text)).toBeVisible();

    await expect(mine.getByTestId("receipt-count")).toContainText("Read by 1");
    // Numeric hooks: exact counts, where /Read by 1/ would also match "Read by 10".
    await expect(mine.getByTestId("receipt-count")).toHaveAttribute("data-read-count", "1");
    await expect(mine.getByTestId("receipt-count")).toHaveAttribute("data-unread-count", "0");
    await expect(
      bobLaptop.page.locator(`[data-testid="channel"][data-channel-id="${channelId}"] [data-testid="unread-badge"]`),
    ).toHaveCount(0);

    // Activating the count opens who read it.
    await mine.getByTestId("receipt-count").click();
    const dialog = alice.page.getByRole("dialog");
    await expect(dialog.getByTestId("read-list")).toContainText("Bob");
    await expect(dialog.getByTestId("unread-list")).toContainText("Everyone has read it");
  } finally {
    for (const w of [alice, bobPhone, bobLaptop]) await w.context.close();
  }
});

test("a message whose whole audience left unread says so once — never 'Nobody yet' and 'Everyone has read it' together", async ({
  browser,
}) => {
  const alice = await openWindowAs(browser, "alice");
  try {
    const channelId = await createGroup(alice.page, `Left unread ${Date.now()}`, ["bob"]);
    const text = `anyone there ${Date.now()}`;
    const sent = await alice.page.request.post(`/api/channels/${channelId}/messages`, { data: { payload: { type: 1, content: text } } });
    expect(sent.status()).toBe(201);
    // bob never read it and is removed: he drops out of its unread list, and nobody is left to read it.
    expect((await alice.page.request.delete(`/api/channels/${channelId}/members/bob`)).status()).toBe(200);
    await alice.page.reload();
    await openChannel(alice.page, channelId);
    const mine = messageWithText(alice.page, text);
    await expect(mine.getByTestId("receipt-count")).toContainText("Read by 0");
    await mine.getByTestId("receipt-count").click();
    const dialog = alice.page.getByRole("dialog");
    await expect(dialog).toContainText("No one else to read it");
    await expect(dialog).not.toContainText("Nobody yet");
    await expect(dialog).not.toContainText("Everyone has read it");
  } finally {
    await alice.context.close();
  }
});
