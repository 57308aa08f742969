import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type postgres from "postgres";
import { Client, sleep } from "./support/clients";
import { withServer } from "./support/harness";
import { openSql } from "./support/sql";

// A manager's right is decided under the channel row lock, as the change it
// allows is made: a channel admin removed at the same moment cannot slip a
// change (re-adding herself, adding others, renaming, settings) in after her
// removal commits.
const ctx = withServer();

/** Resolves once some other backend waits on a lock, or with the request's answer if it did not wait. */
async function blockedOrDone<T>(watch: postgres.Sql, request: Promise<T>) {
  let done = false;
  request.then(
    () => (done = true),
    () => (done = true),
  );
  for (;;) {
    if (done) return "done" as const;
    const [row] = await watch`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`;
    if (row.n > 0) return "blocked" as const;
    await sleep(20);
  }
}

describe("manager rights are checked under the channel lock", () => {
  const cases: [string, (carol: Client, g: string) => Promise<{ status: number; body: any }>][] = [
    ["re-adding herself", (carol, g) => carol.post(`/api/channels/${g}/members`, { uids: ["carol"] })],
    ["adding someone else", (carol, g) => carol.post(`/api/channels/${g}/members`, { uids: ["dave"] })],
    ["renaming", (carol, g) => carol.request("PATCH", `/api/channels/${g}`, { name: "Hers now" })],
    ["turning receipts off", (carol, g) => carol.request("PATCH", `/api/channels/${g}/settings`, { receipts: false })],
  ];
  for (const [what, act] of cases) {
    test(`a channel admin removed while ${what} is refused: 403 not_a_member, nothing changed`, async () => {
      const [alice, carol] = await Promise.all(["alice", "carol"].map((u) => Client.login(ctx.url, u)));
      const created = await alice.post("/api/channels", { name: "Locked", members: ["carol", "bob"] });
      const g = created.body.channel_id as string;
      assert.equal((await alice.request("PATCH", `/api/channels/${g}/members/carol`, { role: "admin" })).status, 200);
      await alice.send(g, "before");

      const holder = openSql(ctx.db.url);
      const watch = openSql(ctx.db.url);
      try {
        let answer: { status: number; body: any } | undefined;
        // The removal, as removeMember makes it, holds the channel row lock while carol's request arrives.
        await holder.begin(async (tx) => {
          const [ch] = await tx`select last_message_seq from channels where channel_id = ${g} for update`;
          await tx`update channel_members set left_seq = ${ch.last_message_seq}, role = 'member'
                    where channel_id = ${g} and uid = 'carol' and left_seq is null`;
          const pending = act(carol, g);
          const state = await blockedOrDone(watch, pending);
          if (state === "done") answer = await pending;
          else pending.then((a) => (answer = a));
          // Commit with the request still waiting (if it waits at all).
        });
        while (!answer) await sleep(20);
        assert.deepEqual([answer.status, answer.body.error?.code], [403, "not_a_member"], JSON.stringify(answer.body));
      } finally {
        await holder.end();
        await watch.end();
      }
      const members = (await alice.get(`/api/channels/${g}/members`)).body.members.map((m: { uid: string }) => m.uid).sort();
      assert.deepEqual(members, ["alice", "bob"]);
      const list = (await alice.get("/api/channels")).body.channels.find((c: { channel_id: string }) => c.channel_id === g);
      assert.deepEqual([list.name, list.receipts], ["Locked", true]);
    });
  }
});
