import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { Client } from "./support/clients";
import { withServer } from "./support/harness";

// GET …/members answers what the caller may do (`can_remove`, `can_change_role`,
// `can_rename`, `can_add_members`), and the members dialog shows exactly those
// actions. Each field must agree with what the mutating route then does: here
// every caller tries every action on a fresh group and the answer is compared.
const ctx = withServer();

type Member = { uid: string; role: string; can_remove: boolean; can_change_role: boolean };
type Members = { members: Member[]; can_rename: boolean; can_add_members: boolean };

// alice owns the group, bob is its admin, carol and dave plain members; "admin" is a system admin outside it.
const CALLERS = ["alice", "bob", "carol", "admin"] as const;
const TARGETS = ["alice", "bob", "carol", "dave"] as const;

let counter = 0;
async function freshGroup(clients: Record<string, Client>) {
  const created = await clients.alice.post("/api/channels", { name: `Rights ${++counter}`, members: ["bob", "carol", "dave"] });
  assert.equal(created.status, 201);
  const g = created.body.channel_id as string;
  assert.equal((await clients.alice.patch(`/api/channels/${g}/members/bob`, { role: "admin" })).status, 200);
  return g;
}

async function rights(who: Client, channelId: string): Promise<Members> {
  const res = await who.get(`/api/channels/${channelId}/members`);
  assert.equal(res.status, 200);
  return res.body;
}

const entry = (answer: Members, uid: string) => {
  const m = answer.members.find((x) => x.uid === uid);
  assert.ok(m, `${uid} is listed`);
  return m;
};

describe("the members list's can_* fields are what the mutating routes allow", () => {
  let clients: Record<string, Client>;
  before(async () => {
    const all = await Promise.all([...CALLERS, "dave"].map((u) => Client.login(ctx.url, u)));
    clients = Object.fromEntries(all.map((c) => [c.uid, c]));
  });

  test("can_remove matches DELETE …/members/{uid} for owner, admin, member and system admin on everyone", async () => {
    const outcomes: string[] = [];
    for (const caller of CALLERS) {
      for (const target of TARGETS) {
        const g = await freshGroup(clients);
        const offered = entry(await rights(clients[caller], g), target).can_remove;
        const res = await clients[caller].delete(`/api/channels/${g}/members/${target}`);
        assert.ok(res.status < 500, `${caller} removes ${target}: ${res.status}`);
        assert.equal(offered, res.status === 200, `${caller} removes ${target}: can_remove ${offered}, DELETE ${res.status}`);
        if (offered) outcomes.push(`${caller}→${target}`);
      }
    }
    // The table the rules give (docs/api.md § Channels and members): nobody removes the owner and the owner cannot
    // leave; only the owner or a system admin removes an admin; owners and admins remove members; anyone else may leave.
    assert.deepEqual(outcomes, [
      "alice→bob",
      "alice→carol",
      "alice→dave",
      "bob→bob",
      "bob→carol",
      "bob→dave",
      "carol→carol",
      "admin→bob",
      "admin→carol",
      "admin→dave",
    ]);
  });

  test("can_change_role matches PATCH …/members/{uid}", async () => {
    const outcomes: string[] = [];
    for (const caller of CALLERS) {
      for (const target of TARGETS) {
        const g = await freshGroup(clients);
        const member = entry(await rights(clients[caller], g), target);
        const role = member.role === "admin" ? "member" : "admin";
        const res = await clients[caller].patch(`/api/channels/${g}/members/${target}`, { role });
        assert.ok(res.status < 500, `${caller} sets ${target}'s role: ${res.status}`);
        assert.equal(
          member.can_change_role,
          res.status === 200,
          `${caller} → ${target}: can_change_role ${member.can_change_role}, PATCH ${res.status}`,
        );
        if (member.can_change_role) outcomes.push(`${caller}→${target}`);
      }
    }
    assert.deepEqual(outcomes, ["alice→bob", "alice→carol", "alice→dave", "admin→bob", "admin→carol", "admin→dave"]);
  });

  test("can_rename and can_add_members match renaming and adding", async () => {
    for (const caller of CALLERS) {
      const g = await freshGroup(clients);
      const answer = await rights(clients[caller], g);
      const expected = caller !== "carol";
      assert.equal(answer.can_rename, expected, `${caller} can_rename`);
      assert.equal(answer.can_add_members, expected, `${caller} can_add_members`);
      const renamed = await clients[caller].patch(`/api/channels/${g}`, { name: `Renamed by ${caller}` });
      assert.equal(answer.can_rename, renamed.status === 200, `${caller} renames: ${renamed.status}`);
      const added = await clients[caller].post(`/api/channels/${g}/members`, { uids: ["admin"] });
      assert.equal(answer.can_add_members, added.status === 200, `${caller} adds: ${added.status}`);
    }
  });

  test("in a direct conversation nothing is offered, to either person or a system admin, and nothing is allowed", async () => {
    const dm = (await clients.alice.post("/api/channels/direct", { uid: "bob" })).body.channel_id as string;
    for (const caller of ["alice", "bob", "admin"] as const) {
      const answer = await rights(clients[caller], dm);
      assert.deepEqual([answer.can_rename, answer.can_add_members], [false, false], `${caller} in the DM`);
      for (const target of ["alice", "bob"]) {
        const m = entry(answer, target);
        assert.deepEqual([m.can_remove, m.can_change_role], [false, false], `${caller} → ${target}`);
        const removed = await clients[caller].delete(`/api/channels/${dm}/members/${target}`);
        assert.deepEqual([removed.status, removed.body.error?.code], [409, "direct_channel_fixed"]);
        const role = await clients[caller].patch(`/api/channels/${dm}/members/${target}`, { role: "admin" });
        assert.deepEqual([role.status, role.body.error?.code], [409, "direct_channel_fixed"]);
      }
      assert.equal((await clients[caller].patch(`/api/channels/${dm}`, { name: "Ours" })).status, 409);
      assert.equal((await clients[caller].post(`/api/channels/${dm}/members`, { uids: ["carol"] })).status, 409);
    }
  });
});
