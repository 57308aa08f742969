import { expect, test } from "./support/fixtures";

test("alice recalls; bob's open window shows the placeholder live; carol opening later sees it too", async ({ people, as, seed }) => {
  const { groups } = await seed({ groups: [{ name: "Recall demo", owner: "alice", members: ["bob", "carol"] }] });
  const channelId = groups[0].channel_id;
  const [alice, bob] = await people(["alice", "bob"]);
  await alice.chat.open(channelId);
  await bob.chat.open(channelId);

  const text = `secret ${Date.now()}`;
  await alice.chat.composer.fill(text);
  await alice.getByRole("button", { name: "Send" }).click();
  const id = await alice.chat.message(text).id();
  const mine = alice.chat.messageById(id);
  await expect(bob.chat.messageById(id).locator).toContainText(text);

  // The Recall button is reachable by keyboard, without hovering.
  await mine.recallButton.focus();
  await alice.keyboard.press("Enter");
  const dialog = alice.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: /^(Confirm recall|Recall)$/ }).click();
  await expect(dialog).toHaveCount(0);

  await expect(mine.locator).toHaveAttribute("data-revoked", "true");
  await expect(mine.locator).toContainText("You recalled a message");
  await expect(mine.locator).not.toContainText(text);
  await expect(mine.recallButton).toHaveCount(0);

  const theirs = bob.chat.messageById(id).locator;
  await expect(theirs).toHaveAttribute("data-revoked", "true");
  await expect(theirs).toContainText("Alice recalled a message");
  await expect(theirs).not.toContainText(text);

  const carol = await as("carol");
  await carol.chat.open(channelId);
  const seen = carol.chat.messageById(id).locator;
  await expect(seen).toHaveAttribute("data-revoked", "true");
  await expect(seen).toContainText("recalled a message");
  await expect(carol.getByText(text)).toHaveCount(0);
});

test("once the server's clock passes the window, Recall gives way to a note and the server refuses", async ({ as, clock }) => {
  const alice = await as("alice");
  await alice.chat.open("general");
  const mine = await alice.chat.send("short-lived");
  // A countdown while it lasts…
  await expect(mine.recallButton).toContainText(/Recall · [0-9]:[0-9]{2}/);
  // …two minutes later by the server's clock: the history says can_recall false…
  await clock.advance(130_000);
  await alice.reload();
  await expect(mine.recallButton).toHaveCount(0);
  // …so a plain note that the window has passed stands where the button was, and the server refuses.
  await expect(mine.locator.getByTestId("recall-closed")).toHaveText("Recall window passed");
  const res = await alice.request.post(`/api/messages/${await mine.id()}/revoke`, { data: {} });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("revoke_window_expired");
});

test("a channel admin is offered Recall on a live message of an ordinary member, never on the owner's", async ({ seed, people }) => {
  const { groups } = await seed({ groups: [{ name: "Roles", owner: "alice", admins: ["bob"], members: ["bob", "carol"] }] });
  const channelId = groups[0].channel_id;
  const [alice, bob, carol] = await people(["alice", "bob", "carol"]);
  for (const p of [alice, bob, carol]) await p.chat.open(channelId);
  const fromOwner = await alice.chat.send("from the owner");
  const fromMember = await carol.chat.send("from a member");
  const [ownerSeen, memberSeen] = [bob.chat.messageById(await fromOwner.id()), bob.chat.messageById(await fromMember.id())];
  // Both arrive live in bob's open window (no history page): the rule is judged in the browser, as the server would.
  await expect(ownerSeen.locator).toContainText("from the owner");
  await expect(memberSeen.locator).toContainText("from a member");
  await expect(memberSeen.recallButton).toHaveCount(1);
  await expect(ownerSeen.recallButton).toHaveCount(0);
});
