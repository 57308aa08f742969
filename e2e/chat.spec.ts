import { createGroup, expect, messageWithText, openChannel, openWindowAs, signIn, test } from "./support/fixtures";

test("a signed-out visitor is sent to /login", async ({ page }) => {
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password").fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong username or password" })).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test("alice sends, bob sees it live without reloading", async ({ browser }) => {
  const alice = await openWindowAs(browser, "alice");
  const bob = await openWindowAs(browser, "bob");
  try {
    await openChannel(alice.page, "general");
    await openChannel(bob.page, "general");
    const text = `hello bob ${Date.now()}`;
    await alice.page.getByLabel("Message").fill(text);
    await alice.page.getByLabel("Message").press("Enter");

    const mine = messageWithText(alice.page, text);
    await expect(mine).toHaveAttribute("data-message-id", /^[0-9]+$/);
    await expect(mine).not.toHaveAttribute("data-pending", "true");
    const id = await mine.getAttribute("data-message-id");
    await expect(bob.page.locator(`[data-testid="message"][data-message-id="${id}"]`)).toContainText(text);
    await expect(alice.page.getByLabel("Message")).toHaveValue("");
  } finally {
    await alice.context.close();
    await bob.context.close();
  }
});

test("Shift+Enter makes a new line, the Send button sends", async ({ page }) => {
  await signIn(page, "carol");
  await openChannel(page, "general");
  const box = page.getByLabel("Message");
  await box.fill("line one");
  await box.press("Shift+Enter");
  await box.pressSequentially("line two");
  await expect(box).toHaveValue("line one\nline two");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(messageWithText(page, "line two")).toHaveAttribute("data-message-id", /^[0-9]+$/);
});

test("bob cannot read a group he is not in", async ({ browser }) => {
  const alice = await openWindowAs(browser, "alice");
  const bob = await openWindowAs(browser, "bob");
  try {
    const id = await createGroup(alice.page, "Alice and Carol", ["carol"]);
    await alice.page.reload();
    await expect(alice.page.locator(`[data-testid="channel"][data-channel-id="${id}"]`)).toBeVisible();
    await bob.page.reload();
    await expect(bob.page.locator('[data-testid="channel"][data-channel-id="general"]')).toBeVisible();
    await expect(bob.page.locator(`[data-testid="channel"][data-channel-id="${id}"]`)).toHaveCount(0);
    const res = await bob.page.request.get(`/api/channels/${id}/messages`);
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe("not_a_member");
  } finally {
    await alice.context.close();
    await bob.context.close();
  }
});

test("a group created in the dialog appears for its members live", async ({ browser }) => {
  const alice = await openWindowAs(browser, "alice");
  const dave = await openWindowAs(browser, "dave");
  try {
    const name = `Trip ${Date.now()}`;
    await alice.page.getByRole("button", { name: "New group" }).click();
    const dialog = alice.page.getByRole("dialog");
    await dialog.getByLabel("Group name").fill(name);
    await dialog.getByLabel(/Dave/).check();
    await dialog.getByRole("button", { name: "Create group" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(alice.page.getByRole("heading", { name })).toBeVisible();
    await expect(dave.page.getByTestId("channel").filter({ hasText: name })).toBeVisible();
  } finally {
    await alice.context.close();
    await dave.context.close();
  }
});

test("an ordinary user gets a 403 page at /admin; an admin gets the console", async ({ browser }) => {
  const bob = await openWindowAs(browser, "bob");
  const admin = await openWindowAs(browser, "admin");
  try {
    const res = await bob.page.goto("/admin");
    expect(res?.status()).toBe(403);
    await expect(bob.page.getByText("Administrators only")).toBeVisible();
    await expect(bob.page.getByRole("link", { name: "Admin" })).toHaveCount(0);

    await admin.page.getByRole("link", { name: "Admin" }).click();
    await expect(admin.page).toHaveURL(/\/admin$/);
    await expect(admin.page.getByRole("heading", { name: "Overview" })).toBeVisible();
  } finally {
    await bob.context.close();
    await admin.context.close();
  }
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, "dave");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/login$/);
});
