import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client, sleep } from "./support/clients";
import { withServer } from "./support/harness";

// Membership as a history (docs/api.md § Channels and members, § Read receipts):
// direct conversations keep their two people, leaving ends roles, a read
// never un-happens, and who was in a message's audience is fixed at sending.
const FLUSH_MS = 100;
const ctx = withServer({ RECEIPT_FLUSH_MS: String(FLUSH_MS) });

type Counts = { read_count: number; unread_count: number };
const pair = (c: Counts) => [c.read_count, c.unread_count];

async function group(owner: Client, name: string, members: string[]) {
  const res = await owner.post("/api/channels", { name, members });
  assert.equal(res.status, 201);
  return res.body.channel_id as string;
}

/** The sender's history page counts, by message id. */
async function pageCounts(sender: Client, channelId: string) {
  const res = await sender.get(`/api/channels/${channelId}/messages?limit=200`);
  assert.equal(res.status, 200);
  return new Map(res.body.messages.map((m: Counts & { message_id: string }) => [m.message_id, pair(m)]));
}

/** Admin statistics' counts of a channel's recent messages, by message id. */
async function statsCounts(admin: Client, channelId: string) {
  const res = await admin.get(`/api/admin/receipts/stats?channel_id=${channelId}`);
  assert.equal(res.status, 200);
  return new Map(res.body.recent_messages.map((m: Counts & { message_id: string }) => [m.message_id, pair(m)]));
}

describe("direct conversations keep exactly their two people", () => {
  test("adding, removing, leaving, renaming and roles are refused for everyone, system admins included", async () => {
    const [alice, bob, carol, admin] = await Promise.all(["alice", "bob", "carol", "admin"].map((u) => Client.login(ctx.url, u)));
    const dm = (await alice.post("/api/channels/direct", { uid: "bob" })).body.channel_id as string;
    await alice.send(dm, "just between us");
    const refusals: [Client, string, string, unknown][] = [
      [admin, "POST", `/api/channels/${dm}/members`, { uids: ["carol"] }],
      [alice, "POST", `/api/channels/${dm}/members`, { uids: ["carol"] }],
      [admin, "DELETE", `/api/channels/${dm}/members/bob`, undefined],
      [alice, "DELETE", `/api/channels/${dm}/members/bob`, undefined],
      [bob, "DELETE", `/api/channels/${dm}/members/bob`, undefined],
      [admin, "PATCH", `/api/channels/${dm}`, { name: "Ours" }],
      [alice, "PATCH", `/api/channels/${dm}`, { name: "Ours" }],
      [admin, "PATCH", `/api/channels/${dm}/members/bob`, { role: "admin" }],
      [alice, "PATCH", `/api/channels/${dm}/members/bob`, { role: "admin" }],
    ];
    for (const [who, method, path, body] of refusals) {
      const res = await who.request(method, path, body);
      assert.deepEqual([res.status, res.body.error?.code], [409, "direct_channel_fixed"], `${who.uid} ${method} ${path}`);
    }
    // Someone outside learns nothing more than before: not a member.
    const outside = await carol.post(`/api/channels/${dm}/members`, { uids: ["carol"] });
    assert.deepEqual([outside.status, outside.body.error?.code], [403, "not_a_member"]);
    assert.equal((await carol.get(`/api/channels/${dm}/messages`)).status, 403);
    const members = await alice.get(`/api/channels/${dm}/members`);
    assert.deepEqual(members.body.members.map((m: { uid: string }) => m.uid).sort(), ["alice", "bob"]);
  });
});

describe("leaving or being removed ends every role", () => {
  for (const how of ["removed by the owner", "leaving by himself"] as const) {
    test(`a channel admin ${how}, re-added by another admin, is a plain member and cannot recall others' messages`, async () => {
      const [alice, bob, carol, dave] = await Promise.all(["alice", "bob", "carol", "dave"].map((u) => Client.login(ctx.url, u)));
      const g = await group(alice, `Roles ${how}`, ["bob", "carol", "dave"]);
      for (const uid of ["carol", "dave"])
        assert.equal((await alice.patch(`/api/channels/${g}/members/${uid}`, { role: "admin" })).status, 200);
      const out =
        how === "leaving by himself"
          ? await dave.delete(`/api/channels/${g}/members/dave`)
          : await alice.delete(`/api/channels/${g}/members/dave`);
      assert.equal(out.status, 200);
      assert.equal((await carol.post(`/api/channels/${g}/members`, { uids: ["dave"] })).status, 200);

      const members = await alice.get(`/api/channels/${g}/members`);
      assert.equal(members.body.members.find((m: { uid: string }) => m.uid === "dave").role, "member");
      const list = await dave.get("/api/channels");
      assert.equal(list.body.channels.find((c: { channel_id: string }) => c.channel_id === g).role, "member");
      const m = (await bob.send(g, "mine to recall")).body.message;
      const recall = await dave.post(`/api/messages/${m.message_id}/revoke`, {});
      assert.deepEqual([recall.status, recall.body.error?.code], [403, "not_allowed"]);
      // Nor may he remove others, as an admin could.
      assert.equal((await dave.delete(`/api/channels/${g}/members/bob`)).status, 403);
    });
  }
});

describe("receipts go to senders still in the channel", () => {
  test("a removed member gets no receipts:update for her own old messages", async () => {
    const [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map((u) => Client.login(ctx.url, u)));
    const g = await group(alice, "Gone", ["bob", "carol"]);
    const bobs = (await bob.send(g, "from bob")).body.message;
    const alices = (await alice.send(g, "from alice")).body.message;
    assert.equal((await alice.delete(`/api/channels/${g}/members/bob`)).status, 200);
    const [bobSocket, aliceSocket] = await Promise.all([bob.connect(), alice.connect()]);
    try {
      await carol.post(`/api/channels/${g}/read`, { message_seq: alices.message_seq });
      // Alice still gets hers (the same flush would carry bob's)…
      const update = await aliceSocket.waitFor(
        "receipts:update",
        (e) => e.channel_id === g && e.items.some((i: Counts) => i.read_count === 1),
      );
      assert.ok(update.items.every((i: { message_id: string }) => i.message_id !== bobs.message_id));
      await sleep(FLUSH_MS * 4);
      // …bob, outside the channel now, nothing.
      assert.deepEqual(
        bobSocket.of("receipts:update").filter((e) => e.channel_id === g),
        [],
      );
    } finally {
      bobSocket.close();
      aliceSocket.close();
    }
  });
});

describe("read positions are visible where read lists are", () => {
  test("a plain member sees only her own cursor; owners, channel admins and system admins see everyone's", async () => {
    const [alice, bob, carol, admin] = await Promise.all(["alice", "bob", "carol", "admin"].map((u) => Client.login(ctx.url, u)));
    const g = await group(alice, "Cursors", ["bob", "carol", "admin"]);
    assert.equal((await alice.patch(`/api/channels/${g}/members/carol`, { role: "admin" })).status, 200);
    const m = (await alice.send(g, "who read this?")).body.message;
    await bob.post(`/api/channels/${g}/read`, { message_seq: m.message_seq });
    const cursors = async (c: Client) => {
      const res = await c.get(`/api/channels/${g}/members`);
      assert.equal(res.status, 200);
      return Object.fromEntries(res.body.members.map((x: { uid: string; last_read_seq?: number }) => [x.uid, x.last_read_seq]));
    };
    const all = { alice: 1, bob: 1, carol: 0, admin: 0 }; // sending reads up to one's own message
    assert.deepEqual(await cursors(bob), { alice: undefined, bob: 1, carol: undefined, admin: undefined });
    for (const c of [alice, carol, admin]) assert.deepEqual(await cursors(c), all, c.uid);
  });

  test("a system admin who is not a member sees the members and every cursor, as she sees every read list", async () => {
    const [alice, bob, admin] = await Promise.all(["alice", "bob", "admin"].map((u) => Client.login(ctx.url, u)));
    const g = await group(alice, "Outside", ["bob"]);
    const m = (await alice.send(g, "read by bob")).body.message;
    await bob.post(`/api/channels/${g}/read`, { message_seq: m.message_seq });
    const res = await admin.get(`/api/channels/${g}/members`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.members.map((x: { uid: string; last_read_seq?: number }) => [x.uid, x.last_read_seq]),
      [
        ["alice", 1],
        ["bob", 1],
      ],
    );
  });
});

describe("a read never un-happens; the audience is fixed when a message is sent", () => {
  test("read, leave, rejoin: counts never go back, and every view agrees with the latest receipts:update", async () => {
    const [alice, bob, carol, dave, admin] = await Promise.all(
      ["alice", "bob", "carol", "dave", "admin"].map((u) => Client.login(ctx.url, u)),
    );
    const g = await group(alice, "History", ["bob", "carol", "dave"]);
    const socket = await alice.connect();
    try {
      const m1 = (await alice.send(g, "m1")).body.message;
      const receipts = async () => (await alice.get(`/api/messages/${m1.message_id}/receipts`)).body;
      /** Every view of m1's counts — history page, receipts endpoint, admin statistics — and the latest update, once it has arrived. */
      const agree = async (expected: [number, number], lists: { read: string[]; unread: string[] }) => {
        const latest = await socket.waitFor(
          "receipts:update",
          (e) =>
            e.channel_id === g &&
            e.items.some((i: Counts & { message_id: string }) => i.message_id === m1.message_id && pair(i).join() === expected.join()),
        );
        assert.ok(latest);
        await sleep(FLUSH_MS * 3);
        const updates = socket.of("receipts:update").filter((e) => e.channel_id === g);
        const last = updates
          .flatMap((e) => e.items)
          .filter((i: { message_id: string }) => i.message_id === m1.message_id)
          .at(-1);
        assert.deepEqual(pair(last), expected, "latest receipts:update");
        assert.deepEqual((await pageCounts(alice, g)).get(m1.message_id), expected, "history page");
        assert.deepEqual((await statsCounts(admin, g)).get(m1.message_id), expected, "admin statistics");
        const r = await receipts();
        assert.deepEqual(pair(r), expected, "receipts endpoint");
        assert.deepEqual(r.read.map((x: { uid: string }) => x.uid).sort(), lists.read, "read list");
        assert.deepEqual(r.unread.map((x: { uid: string }) => x.uid).sort(), lists.unread, "unread list");
        return r;
      };

      await bob.post(`/api/channels/${g}/read`, { message_seq: m1.message_seq });
      const first = await agree([1, 2], { read: ["bob"], unread: ["carol", "dave"] });
      const readAt = first.read[0].read_at;
      assert.ok(readAt);

      // Bob leaves: his read stays, with its time.
      assert.equal((await bob.delete(`/api/channels/${g}/members/bob`)).status, 200);
      const m2 = (await alice.send(g, "m2, while bob is away")).body.message;
      assert.deepEqual((await receipts()).read, first.read);

      // Re-added: still read once, at the same time; m2 (sent while he was away) is not his to read.
      assert.equal((await alice.post(`/api/channels/${g}/members`, { uids: ["bob"] })).status, 200);
      const rejoined = await receipts();
      assert.deepEqual(pair(rejoined), [1, 2]);
      assert.deepEqual(rejoined.read, first.read);
      assert.deepEqual((await pageCounts(alice, g)).get(m2.message_id), [0, 2]);
      await bob.post(`/api/channels/${g}/read`, { message_seq: m2.message_seq });
      assert.deepEqual(
        (await pageCounts(alice, g)).get(m2.message_id),
        [0, 2],
        "a rejoined reader cannot read what was sent while he was away",
      );

      // Carol is removed without reading: she drops out of m1's unread list, and alice is told.
      assert.equal((await alice.delete(`/api/channels/${g}/members/carol`)).status, 200);
      await agree([1, 1], { read: ["bob"], unread: ["dave"] });

      // Dave reads, then leaves: read stays read; rejoining changes nothing.
      await dave.post(`/api/channels/${g}/read`, { message_seq: m1.message_seq });
      await agree([2, 0], { read: ["bob", "dave"], unread: [] });
      assert.equal((await dave.delete(`/api/channels/${g}/members/dave`)).status, 200);
      assert.equal((await alice.post(`/api/channels/${g}/members`, { uids: ["dave", "carol"] })).status, 200);
      await agree([2, 0], { read: ["bob", "dave"], unread: [] });
      // Carol back in cannot read m1 either: it was sent to her first stay, which ended unread.
      await carol.post(`/api/channels/${g}/read`, { message_seq: m2.message_seq });
      assert.deepEqual(pair(await receipts()), [2, 0]);
    } finally {
      socket.close();
    }
  });

  test("counts always equal a recount of who was in, who read and who left, under random joins, leaves and reads", async () => {
    const people = ["bob", "carol", "dave", "admin"];
    const clients = new Map(await Promise.all(["alice", ...people].map(async (u) => [u, await Client.login(ctx.url, u)] as const)));
    const alice = clients.get("alice") as Client;
    const g = await group(alice, "Random history", people);
    // The model: each person's intervals (joined, left, read) and the messages' senders.
    type Interval = { joined: number; left: number | null; read: number };
    const intervals = new Map<string, Interval[]>(["alice", ...people].map((u) => [u, [{ joined: 0, left: null, read: 0 }]]));
    const open = (u: string) => intervals.get(u)?.find((i) => i.left === null);
    const sent: { id: string; seq: number; from: string }[] = [];
    let seq = 0;
    // A seeded generator (mulberry32): a failure replays the same history.
    let rnd = 20261130;
    const random = (n: number) => {
      rnd = (rnd + 0x6d2b79f5) | 0;
      let t = Math.imul(rnd ^ (rnd >>> 15), 1 | rnd);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    for (let step = 0; step < 60; step++) {
      const uid = people[random(people.length)];
      const me = clients.get(uid) as Client;
      const op = random(4);
      if (op === 0 && open(uid)) {
        const m = (await me.send(g, `step ${step}`)).body.message;
        seq = m.message_seq;
        sent.push({ id: m.message_id, seq, from: uid });
        // Sending reads everything up to one's own message.
        (open(uid) as Interval).read = seq;
      } else if (op === 1) {
        const mine = open(uid);
        const target = random(seq + 2);
        const res = await me.post(`/api/channels/${g}/read`, { message_seq: target });
        if (mine) mine.read = Math.max(mine.read, Math.min(target, seq));
        assert.equal(res.status, mine ? 200 : 403);
      } else if (op === 2 && open(uid)) {
        assert.equal((await me.delete(`/api/channels/${g}/members/${uid}`)).status, 200);
        (open(uid) as Interval).left = seq;
      } else if (op === 3 && !open(uid)) {
        assert.equal((await alice.post(`/api/channels/${g}/members`, { uids: [uid] })).status, 200);
        intervals.get(uid)?.push({ joined: seq, left: null, read: seq });
      } else {
        const m = (await alice.send(g, `alice ${step}`)).body.message;
        seq = m.message_seq;
        sent.push({ id: m.message_id, seq, from: "alice" });
        (open("alice") as Interval).read = seq;
      }
    }
    // The run did what it is about: people left and came back.
    assert.ok([...intervals.values()].filter((list) => list.length > 1).length >= 2, "rejoins happened");
    assert.ok(sent.length >= 10, "messages were sent");
    const expected = (m: { seq: number; from: string }) => {
      let read = 0;
      let unread = 0;
      for (const [uid, list] of intervals) {
        if (uid === m.from) continue;
        const i = list.find((x) => x.joined < m.seq && (x.left === null || x.left >= m.seq));
        if (!i) continue;
        if (i.read >= m.seq) read++;
        else if (i.left === null) unread++;
      }
      return [read, unread];
    };
    // A system admin sees every message's lists, member or not.
    const admin = clients.get("admin") as Client;
    for (const m of sent) {
      const r = await admin.get(`/api/messages/${m.id}/receipts`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(pair(r.body), expected(m), `message ${m.seq} from ${m.from}`);
      assert.deepEqual([r.body.read.length, r.body.unread.length], expected(m), `lists of message ${m.seq}`);
    }
    // The one-pass page counts agree with the recount for a sender's whole page.
    for (const uid of ["alice", ...people]) {
      const me = clients.get(uid) as Client;
      if (!open(uid)) continue;
      const page = await pageCounts(me, g);
      for (const m of sent.filter((x) => x.from === uid)) assert.deepEqual(page.get(m.id), expected(m), `${uid}'s page, message ${m.seq}`);
    }
  });
});
