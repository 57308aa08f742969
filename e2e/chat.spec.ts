import { expect, signIn, test } from "./support/fixtures";

// Sign-in itself goes through the form here (and only here and in ux.spec.ts); every other test starts signed in (kit sessions).
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

test("alice sends, bob sees it live without reloading", async ({ people }) => {
  const [alice, bob] = await people(["alice", "bob"]);
  await alice.chat.open("general");
  await bob.chat.open("general");
  const text = `hello bob ${Date.now()}`;
  await alice.chat.composer.fill(text);
  await alice.chat.composer.press("Enter");

  const mine = alice.chat.message(text);
  const id = await mine.id();
  await expect(mine.locator).not.toHaveAttribute("data-pending", "true");
  await expect(bob.chat.messageById(id).locator).toContainText(text);
  await expect(alice.chat.composer).toHaveValue("");
});

test("Shift+Enter makes a new line, the Send button sends", async ({ as }) => {
  const carol = await as("carol");
  await carol.chat.open("general");
  const box = carol.chat.composer;
  await box.fill("line one");
  await box.press("Shift+Enter");
  await box.pressSequentially("line two");
  await expect(box).toHaveValue("line one\nline two");
  await carol.getByRole("button", { name: "Send" }).click();
  await carol.chat.message("line two").id();
});

test("bob cannot read a group he is not in", async ({ people, seed }) => {
  const { groups } = await seed({ groups: [{ name: "Alice and Carol", owner: "alice", members: ["carol"] }] });
  const id = groups[0].channel_id;
  const [alice, bob] = await people(["alice", "bob"]);
  await expect(alice.chat.channel(id)).toBeVisible();
  await expect(bob.chat.channel("general")).toBeVisible();
  await expect(bob.chat.channel(id)).toHaveCount(0);
  const res = await bob.request.get(`/api/channels/${id}/messages`);
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("not_a_member");
});

test("a group created in the dialog appears for its members live", async ({ people }) => {
  const [alice, dave] = await people(["alice", "dave"]);
  const name = `Trip ${Date.now()}`;
  await alice.getByRole("button", { name: "New group" }).click();
  const dialog = alice.getByRole("dialog");
  await dialog.getByLabel("Group name").fill(name);
  await dialog.getByLabel(/Dave/).check();
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(alice.getByRole("heading", { name })).toBeVisible();
  await expect(dave.getByTestId("channel").filter({ hasText: name })).toBeVisible();
});

test("an ordinary user gets a 403 page at /admin; an admin gets the console", async ({ people }) => {
  const [bob, admin] = await people(["bob", "admin"]);
  const res = await bob.goto("/admin");
  expect(res?.status()).toBe(403);
  await expect(bob.getByText("Administrators only")).toBeVisible();
  await expect(bob.getByRole("link", { name: "Admin" })).toHaveCount(0);

  await admin.getByRole("link", { name: "Admin" }).click();
  await expect(admin).toHaveURL(/\/admin$/);
  await expect(admin.getByRole("heading", { name: "Overview" })).toBeVisible();
});

test("signing in and then out ends the session", async ({ page }) => {
  await signIn(page, "dave");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/login$/);
});
