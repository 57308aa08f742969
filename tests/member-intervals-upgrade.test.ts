import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hashPassword } from "@/lib/auth/password";
import { Client } from "./support/clients";
import { testStack } from "./support/harness";
import { migrateUpTo } from "./support/migrations";
import { withSql } from "./support/sql";

// Migration 0006 (membership intervals) on a database the previous schema
// made and filled: nothing is lost, departed members lose their roles, and
// the server started on it counts by the new rule.
const stack = testStack();

describe("upgrading to membership intervals (0006)", () => {
  test("a populated 0005 database keeps its members, cursors and counts; departed admins come back as members", async () => {
    const db = await stack.database();
    await migrateUpTo(db.url, 5);
    const passwordHash = await hashPassword("demo-password");
    await withSql(db.url, async (s) => {
      await s`insert into users ${s(["alice", "bob", "carol", "dave"].map((uid) => ({ uid, name: uid[0].toUpperCase() + uid.slice(1), password_hash: passwordHash, role: "user" })))}`;
      await s`insert into channels (channel_id, channel_type, name, created_by, last_message_seq) values ('legacy', 2, 'Legacy', 'alice', 3)`;
      // dave: a channel admin who left at seq 2 having read seq 1; carol joined after seq 1.
      await s`insert into channel_members ${s([
        { channel_id: "legacy", uid: "alice", role: "owner", joined_seq: 0, left_seq: null, last_read_seq: 3 },
        { channel_id: "legacy", uid: "bob", role: "member", joined_seq: 0, left_seq: null, last_read_seq: 2 },
        { channel_id: "legacy", uid: "dave", role: "admin", joined_seq: 0, left_seq: 2, last_read_seq: 1 },
        { channel_id: "legacy", uid: "carol", role: "member", joined_seq: 1, left_seq: null, last_read_seq: 1 },
      ])}`;
      for (const seq of [1, 2, 3]) {
        await s`insert into messages (channel_id, message_seq, message_id, client_msg_no, from_uid, channel_type, sent_at, payload)
                values ('legacy', ${seq}, ${String(9_000_000_000_000_000_000n + BigInt(seq))}, ${`legacy-${seq}`}, 'alice', 2, now(), ${s.json({ type: 1, content: `old ${seq}` })})`;
      }
      await s`insert into read_events (channel_id, uid, from_seq, to_seq) values ('legacy', 'bob', 0, 2), ('legacy', 'dave', 0, 1)`;
    });

    const server = await stack.server({ DATABASE_URL: db.url });
    const health = await fetch(`${server.url}/api/health`);
    assert.equal(health.status, 200, await health.text());

    const state = await withSql(db.url, async (s) => ({
      members:
        await s`select uid, role, joined_seq::int, left_seq::int, last_read_seq::int from channel_members where channel_id = 'legacy' order by uid`,
      intervals: await s`select count(*)::int as n from channel_member_intervals`,
    }));
    assert.deepEqual(
      state.members.map((m) => [m.uid, m.role, m.joined_seq, m.left_seq, m.last_read_seq]),
      [
        ["alice", "owner", 0, null, 3],
        ["bob", "member", 0, null, 2],
        ["carol", "member", 1, null, 1],
        ["dave", "member", 0, 2, 1],
      ],
    );
    assert.equal(state.intervals[0].n, 0);

    const alice = await Client.login(server.url, "alice");
    const ids = (await alice.get("/api/channels/legacy/messages")).body.messages.map((m: { message_id: string }) => m.message_id);
    const counts = async () =>
      Promise.all(
        ids.map(async (id: string) => {
          const r = (await alice.get(`/api/messages/${id}/receipts`)).body;
          return [
            r.read_count,
            r.unread_count,
            r.read
              .map((x: { uid: string }) => x.uid)
              .sort()
              .join(","),
            r.unread
              .map((x: { uid: string }) => x.uid)
              .sort()
              .join(","),
          ];
        }),
      );
    // 1: bob and dave read it. 2: bob read it, carol has not, dave left without reading. 3: bob and carol have not.
    const expected = [
      [2, 0, "bob,dave", ""],
      [1, 1, "bob", "carol"],
      [0, 2, "", "bob,carol"],
    ];
    assert.deepEqual(await counts(), expected);

    // dave comes back: as a plain member, and what he read stays read.
    assert.equal((await alice.post("/api/channels/legacy/members", { uids: ["dave"] })).status, 200);
    const dave = await Client.login(server.url, "dave");
    const entry = (await dave.get("/api/channels")).body.channels.find((c: { channel_id: string }) => c.channel_id === "legacy");
    assert.equal(entry.role, "member");
    assert.deepEqual(await counts(), expected);
  });

  test("direct conversations come out with exactly their two people: intruders leave, a partner who left is back", async () => {
    const db = await stack.database();
    await migrateUpTo(db.url, 5);
    const passwordHash = await hashPassword("demo-password");
    let n = 0n;
    await withSql(db.url, async (s) => {
      await s`insert into users ${s(["alice", "bob", "carol", "dave"].map((uid) => ({ uid, name: uid[0].toUpperCase() + uid.slice(1), password_hash: passwordHash, role: "user" })))}`;
      const message = async (channelId: string, seq: number, from: string) => {
        n += 1n;
        await s`insert into messages (channel_id, message_seq, message_id, client_msg_no, from_uid, channel_type, sent_at, payload)
                values (${channelId}, ${seq}, ${String(8_000_000_000_000_000_000n + n)}, ${`dm-${n}`}, ${from}, 1, now(), ${s.json({ type: 1, content: `dm ${n}` })})`;
      };
      // alice@bob, polluted: carol was added (she read seq 1 of 2).
      // carol@dave: dave left at seq 1 (the old code let people leave a DM); carol wrote on to nobody.
      // alice@bob@carol: an id from a uid holding @, whose pair cannot be told.
      await s`insert into channels (channel_id, channel_type, name, created_by, last_message_seq) values
                ('alice@bob', 1, '', 'alice', 2), ('carol@dave', 1, '', 'carol', 2), ('alice@bob@carol', 1, '', 'alice', 1)`;
      await s`insert into channel_members ${s([
        { channel_id: "alice@bob", uid: "alice", role: "member", joined_seq: 0, left_seq: null, last_read_seq: 2 },
        { channel_id: "alice@bob", uid: "bob", role: "member", joined_seq: 0, left_seq: null, last_read_seq: 1 },
        { channel_id: "alice@bob", uid: "carol", role: "member", joined_seq: 0, left_seq: null, last_read_seq: 1 },
        { channel_id: "carol@dave", uid: "carol", role: "member", joined_seq: 0, left_seq: null, last_read_seq: 2 },
        { channel_id: "carol@dave", uid: "dave", role: "member", joined_seq: 0, left_seq: 1, last_read_seq: 1 },
        { channel_id: "alice@bob@carol", uid: "alice", role: "member", joined_seq: 0, left_seq: null, last_read_seq: 1 },
        { channel_id: "alice@bob@carol", uid: "carol", role: "member", joined_seq: 0, left_seq: null, last_read_seq: 0 },
      ])}`;
      await message("alice@bob", 1, "alice");
      await message("alice@bob", 2, "alice");
      await message("carol@dave", 1, "carol");
      await message("carol@dave", 2, "carol");
      await message("alice@bob@carol", 1, "alice");
    });

    const server = await stack.server({ DATABASE_URL: db.url });
    const state = await withSql(db.url, async (s) => ({
      members: await s`select channel_id, uid, role, joined_seq::int, left_seq::int, last_read_seq::int from channel_members
                        where channel_id like '%@%' order by channel_id, uid`,
      intervals:
        await s`select channel_id, uid, joined_seq::int, left_seq::int, read_seq::int from channel_member_intervals order by channel_id, uid`,
    }));
    assert.deepEqual(
      state.members.map((m) => [m.channel_id, m.uid, m.role, m.joined_seq, m.left_seq, m.last_read_seq]),
      [
        ["alice@bob", "alice", "member", 0, null, 2],
        ["alice@bob", "bob", "member", 0, null, 1],
        ["alice@bob", "carol", "member", 0, 2, 1],
        ["alice@bob@carol", "alice", "member", 0, 1, 1],
        ["alice@bob@carol", "carol", "member", 0, 1, 0],
        ["carol@dave", "carol", "member", 0, null, 2],
        ["carol@dave", "dave", "member", 2, null, 2],
      ],
    );
    // dave's ended interval is kept with what he read.
    assert.deepEqual(
      state.intervals.map((i) => [i.channel_id, i.uid, i.joined_seq, i.left_seq, i.read_seq]),
      [["carol@dave", "dave", 0, 1, 1]],
    );

    const [alice, carol, dave] = await Promise.all(["alice", "carol", "dave"].map((u) => Client.login(server.url, u)));
    // carol is out of alice and bob's conversation; what she read stays read, what she had not drops her.
    assert.deepEqual((await carol.get("/api/channels/alice@bob/messages")).body.error?.code, "not_a_member");
    const dmIds = (await alice.get("/api/channels/alice@bob/messages")).body.messages.map((m: { message_id: string }) => m.message_id);
    const lists = async (who: Client, id: string) => {
      const r = (await who.get(`/api/messages/${id}/receipts`)).body;
      return [r.read.map((x: { uid: string }) => x.uid).join(","), r.unread.map((x: { uid: string }) => x.uid).join(",")];
    };
    assert.deepEqual(await lists(alice, dmIds[0]), ["bob,carol", ""]);
    assert.deepEqual(await lists(alice, dmIds[1]), ["", "bob"]);
    // Nobody is left in the conversation whose pair cannot be told.
    assert.equal((await alice.get("/api/channels/alice@bob@carol/messages")).status, 403);
    assert.equal((await carol.get("/api/channels/alice@bob@carol/messages")).status, 403);
    // dave is back: he sees the conversation, and carol's next message reaches him.
    assert.ok((await dave.get("/api/channels")).body.channels.some((c: { channel_id: string }) => c.channel_id === "carol@dave"));
    const sent = await carol.send("carol@dave", "are you there?");
    assert.equal(sent.status, 201);
    assert.deepEqual(await lists(carol, sent.body.message.message_id), ["", "dave"]);
  });
});
