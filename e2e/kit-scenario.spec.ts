import { expect, test } from "imdesk/playwright";

test("alice sends, bob reads, alice sees Read by 1; two minutes on she can no longer recall it", async ({ seed, people, clock }) => {
  const { groups } = await seed({ groups: [{ name: "Crew", owner: "carol", members: ["alice", "bob"] }] });
  const [alice, bob] = await people(["alice", "bob"]);
  await alice.chat.open(groups[0].channel_id);
  const hello = await alice.chat.send("hello bob");
  await bob.chat.open(groups[0].channel_id);
  await expect.poll(() => hello.readCount()).toBe(1);
  await clock.advance(130_000);
  await alice.reload();
  await expect(hello.recallButton).toHaveCount(0);
  expect((await alice.api.messages[":message_id"].revoke.$post({ param: { message_id: await hello.id() }, json: {} })).status).toBe(403);
});
