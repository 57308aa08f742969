import { asPeople, createGroup, expect, messageWithText, openChannel, test } from "./support/fixtures";

test("the open conversation is in the URL; reloading or going back keeps the place", async ({ browser }) => {
  await asPeople(browser, ["alice"], async ([alice]) => {
    const id = await createGroup(alice.page, "Addressable", ["bob"]);
    await openChannel(alice.page, id);
    await expect(alice.page).toHaveURL(new RegExp(`/chat/${id}$`));
    await alice.page.reload();
    await expect(alice.page.getByRole("heading", { level: 1 })).toHaveText("Addressable");
    await alice.page.goBack();
    await expect(alice.page).toHaveURL(/\/chat$/);
  });
});

test("sign-in returns to the page asked for, shows the demo password, and keeps the username after a wrong password", async ({ page }) => {
  await page.goto("/admin/users?q=car");
  await expect(page).toHaveURL(/\/login\?next=/);
  await expect(page.getByTestId("demo-hint")).toContainText("demo-password");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("not-it");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong username or password.")).toBeVisible();
  await expect(page.getByLabel("Username")).toHaveValue("admin");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/admin/users?q=car");
  await expect(page.getByLabel("Search users")).toHaveValue("car");
  await expect(page.getByTestId("users-table")).toContainText("carol");
  await expect(page.getByTestId("users-table")).not.toContainText("dave");
});

test("losing the network shows the reconnecting banner at once; coming back catches up", async ({ browser }) => {
  await asPeople(browser, ["alice", "bob"], async ([alice, bob]) => {
    const id = await createGroup(alice.page, "Flaky", ["bob"]);
    await openChannel(bob.page, id);
    await bob.context.setOffline(true);
    await expect(bob.page.getByTestId("connection-banner")).toContainText("reconnecting", { timeout: 2000 });
    await alice.page.request.post(`/api/channels/${id}/messages`, { data: { payload: { type: 1, content: "sent while bob was away" } } });
    await bob.context.setOffline(false);
    await expect(bob.page.getByTestId("connection-banner")).toHaveCount(0);
    await expect(messageWithText(bob.page, "sent while bob was away")).toBeVisible();
  });
});

test("recall shows the message and takes a reason; a channel admin is offered Recall only where the server allows it", async ({
  browser,
}) => {
  await asPeople(browser, ["alice", "bob"], async ([alice, bob]) => {
    const id = await createGroup(alice.page, "Recall rights", ["bob", "carol"]);
    await alice.page.request.patch(`/api/channels/${id}/members/bob`, { data: { role: "admin" } });
    await alice.page.request.post(`/api/channels/${id}/messages`, { data: { payload: { type: 1, content: "owner speaks" } } });
    await openChannel(alice.page, id);
    await alice.page.getByLabel("Message").fill("oops, wrong group");
    await alice.page.getByLabel("Message").press("Enter");
    const sent = messageWithText(alice.page, "oops, wrong group");
    await expect(sent).toHaveAttribute("data-message-id", /\d+/);
    const mine = alice.page.locator(`[data-testid="message"][data-message-id="${await sent.getAttribute("data-message-id")}"]`);
    await mine.getByRole("button", { name: "Recall", exact: true }).click();
    const dialog = alice.page.getByRole("dialog", { name: "Recall this message?" });
    await expect(dialog.getByTestId("recall-preview")).toHaveText("oops, wrong group");
    await dialog.getByLabel(/Reason/).fill("wrong group");
    await dialog.getByRole("button", { name: "Confirm recall" }).click();
    await expect(mine).toHaveAttribute("data-revoked", "true");

    // Bob is a channel admin: the owner's message is not his to recall, so no button.
    await openChannel(bob.page, id);
    await expect(messageWithText(bob.page, "owner speaks").getByRole("button", { name: "Recall", exact: true })).toHaveCount(0);
  });
});

test("opening a channel with many unread starts at the first unread under a divider; a button brings new ones into view", async ({
  browser,
}) => {
  await asPeople(browser, ["alice", "bob"], async ([alice, bob]) => {
    const id = await createGroup(alice.page, "Busy", ["bob"]);
    const post = (content: string) => alice.page.request.post(`/api/channels/${id}/messages`, { data: { payload: { type: 1, content } } });
    for (let i = 1; i <= 60; i++) await post(`old ${i}`);
    expect((await bob.page.request.post(`/api/channels/${id}/read`, { data: { message_seq: 60 } })).status()).toBe(200);
    for (let i = 1; i <= 40; i++) await post(`unread ${i}`);
    await bob.page.goto(`/chat/${id}`);
    const divider = bob.page.getByTestId("new-messages-divider");
    await expect(divider).toBeInViewport();
    await expect(messageWithText(bob.page, "unread 1").first()).toBeInViewport();
    await expect(messageWithText(bob.page, "unread 40")).not.toBeInViewport();
    // Scrolled up, a new message shows the button rather than yanking the view.
    await alice.page.request.post(`/api/channels/${id}/messages`, { data: { payload: { type: 1, content: "fresh one" } } });
    const jump = bob.page.getByTestId("jump-to-new");
    await expect(jump).toBeVisible();
    await jump.click();
    await expect(messageWithText(bob.page, "fresh one")).toBeInViewport();
  });
});

test("messages: a date separator, grouped runs, clickable safe links, and a counter instead of silent cutting", async ({ browser }) => {
  await asPeople(browser, ["alice"], async ([alice]) => {
    const id = await createGroup(alice.page, "Formatting", []);
    await openChannel(alice.page, id);
    const box = alice.page.getByLabel("Message");
    await box.fill("see https://example.com/docs?a=1 for more");
    await box.press("Enter");
    await box.fill("and a second line from me");
    await box.press("Enter");
    await expect(alice.page.getByTestId("date-separator")).toHaveText("Today");
    const link = messageWithText(alice.page, "see https").getByRole("link", { name: "https://example.com/docs?a=1" });
    await expect(link).toHaveAttribute("rel", /noopener/);
    await expect(link).toHaveAttribute("target", "_blank");
    // The second message is grouped under the first: its header is for screen readers only.
    await expect(messageWithText(alice.page, "and a second").locator("div.sr-only")).toHaveCount(1);

    await box.fill("x".repeat(8010));
    await expect(alice.page.getByTestId("char-counter")).toContainText("8,010 / 8,000 — 10 over");
    await expect(alice.page.getByRole("button", { name: "Send" })).toBeDisabled();
    await expect(box).toHaveValue("x".repeat(8010));
  });
});

test("on a 390 px phone the chat and the admin navigation are usable", async ({ as }) => {
  const page = await as("admin", { viewport: { width: 390, height: 800 } });
  await expect(page.getByRole("button", { name: "New message" })).toBeVisible();
  await page.goto("/admin");
  for (const name of ["Overview", "Revocations", "Receipts", "Webhooks", "Push log", "Presence", "Users", "Health"]) {
    const link = page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name });
    await expect(link).toBeInViewport();
    const box = await link.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(24);
  }
});
