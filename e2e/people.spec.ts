import { asPeople, createGroup, expect, messageWithText, openChannel, test } from "./support/fixtures";

test("a direct message from the New message dialog reaches the other person live", async ({ browser }) => {
  await asPeople(browser, ["alice", "dave"], async ([alice, dave]) => {
    await alice.page.getByRole("button", { name: "New message" }).click();
    const dialog = alice.page.getByRole("dialog", { name: "New message" });
    await dialog.getByPlaceholder("Search people").fill("dav");
    await expect(dialog.getByRole("button", { name: /alice/i })).toHaveCount(0);
    await dialog.getByRole("button", { name: /Dave/ }).click();
    await expect(dialog).toHaveCount(0);
    await expect(alice.page).toHaveURL(/\/chat\/.+%40|\/chat\/.+@/);
    await expect(alice.page.getByRole("heading", { level: 1 })).toHaveText("Dave");
    await alice.page.getByLabel("Message").fill("just between us");
    await alice.page.getByLabel("Message").press("Enter");
    // Dave's list gets the conversation, named after Alice, and the message in it.
    const entry = dave.page.getByTestId("channel").filter({ hasText: "Alice" });
    await expect(entry).toHaveAccessibleDescription("just between us");
    await entry.click();
    await expect(messageWithText(dave.page, "just between us")).toBeVisible();
  });
});

test("the owner manages members: add, promote, rename; an admin cannot remove the owner; a member leaves", async ({ browser }) => {
  await asPeople(browser, ["alice", "bob"], async ([alice, bob]) => {
    const id = await createGroup(alice.page, "Crew", ["bob"]);
    await openChannel(alice.page, id);
    await alice.page.getByRole("button", { name: "2 members" }).click();
    const dialog = alice.page.getByRole("dialog", { name: "Members of Crew" });
    await dialog.getByLabel("Add someone").selectOption("carol");
    await dialog.getByRole("button", { name: "Add", exact: true }).click();
    await expect(dialog.getByTestId("member")).toHaveCount(3);
    await dialog.getByRole("button", { name: "Make Bob admin" }).click();
    await expect(dialog.locator('[data-uid="bob"]')).toContainText("admin");
    await dialog.getByLabel("Group name").fill("Crew 2");
    await dialog.getByRole("button", { name: "Rename" }).click();
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(alice.page.getByRole("heading", { level: 1 })).toHaveText("Crew 2");

    // Bob, now an admin, may remove Carol but is offered nothing against the owner.
    await openChannel(bob.page, id);
    await bob.page.getByRole("button", { name: "3 members" }).click();
    const bobs = bob.page.getByRole("dialog", { name: "Members of Crew 2" });
    await expect(bobs.locator('[data-uid="alice"]').getByRole("button")).toHaveCount(0);
    await bobs.getByRole("button", { name: "Remove Carol" }).click();
    await expect(bobs.getByTestId("member")).toHaveCount(2);
    await bobs.getByRole("button", { name: "Leave group" }).click();
    await expect(bob.page.locator(`[data-testid="channel"][data-channel-id="${id}"]`)).toHaveCount(0);
    await expect(bob.page).toHaveURL(/\/chat$/);
  });
});
