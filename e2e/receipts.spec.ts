import { expect, test } from "./support/fixtures";

test("bob opens the channel and alice's 'Read by 1' appears live; bob's badge clears on his other window", async ({ people, seed }) => {
  const { groups } = await seed({ groups: [{ name: "Receipts", owner: "alice", members: ["bob"] }] });
  const channelId = groups[0].channel_id;
  const [alice, bobPhone, bobLaptop] = await people(["alice", "bob", "bob"]);
  await alice.chat.open(channelId);
  const mine = await alice.chat.send(`did you read this ${Date.now()}`);
  await expect(mine.receipt).toHaveAttribute("data-read-count", "0");

  // Both of bob's windows show the unread badge.
  for (const bob of [bobPhone, bobLaptop]) await expect(bob.chat.unreadBadge(channelId)).toHaveText("1 unread");
  await bobPhone.chat.open(channelId);

  await expect(mine.receipt).toHaveAttribute("data-read-count", "1");
  await expect(mine.receipt).toHaveAttribute("data-unread-count", "0");
  await expect(bobLaptop.chat.unreadBadge(channelId)).toHaveCount(0);

  // Activating the count opens who read it.
  const dialog = await mine.openReceipts();
  await expect(dialog.getByTestId("read-list")).toContainText("Bob");
  await expect(dialog.getByTestId("unread-list")).toContainText("Everyone has read it");
});

test("a message whose whole audience left unread says so once — never 'Nobody yet' and 'Everyone has read it' together", async ({
  as,
  seed,
}) => {
  // bob never read it and is removed: he drops out of its unread list, and nobody is left to read it.
  const { groups } = await seed({
    groups: [{ ref: "g", name: "Left unread", owner: "alice", members: ["bob"] }],
    messages: [{ channel: "g", from: "alice", content: "anyone there" }],
  });
  const channelId = groups[0].channel_id;
  const alice = await as("alice");
  expect((await alice.request.delete(`/api/channels/${channelId}/members/bob`)).status()).toBe(200);
  await alice.chat.open(channelId);
  const mine = alice.chat.message("anyone there");
  await expect(mine.receipt).toHaveAttribute("data-read-count", "0");
  const dialog = await mine.openReceipts();
  await expect(dialog).toContainText("No one else to read it");
  await expect(dialog).not.toContainText("Nobody yet");
  await expect(dialog).not.toContainText("Everyone has read it");
});
