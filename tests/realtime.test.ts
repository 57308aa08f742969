import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { io } from "socket.io-client";
import { Client, sleep } from "./support/clients";
import { withServer } from "./support/harness";

const ctx = withServer();

describe("realtime", () => {
  test("a connection with neither cookie nor token is refused", async () => {
    for (const auth of [{}, { token: "forged" }]) {
      const socket = io(ctx.url, { auth, transports: ["websocket"], reconnection: false, forceNew: true });
      const err = await new Promise<Error>((resolve) => {
        socket.once("connect", () => resolve(new Error("connected")));
        socket.once("connect_error", resolve);
      });
      socket.disconnect();
      assert.equal(err.message, "unauthenticated");
    }
  });

  test("message:new reaches every device of every member, and no one else", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const dave = await Client.login(ctx.url, "dave");
    const { body } = await alice.post("/api/channels", { name: "Live", members: ["bob"] });
    const [a1, a2, b1, d1] = await Promise.all([alice.connect(), alice.connect(), bob.connect(), dave.connect()]);
    try {
      const sent = await alice.send(body.channel_id, "hello live");
      const id = sent.body.message.message_id;
      for (const s of [a1, a2, b1]) {
        const m = await s.waitFor("message:new", (m) => m.message_id === id);
        assert.equal(m.payload.content, "hello live");
        assert.equal(m.channel_id, body.channel_id);
      }
      // dave is not a member: give a stray event every chance to arrive, then check none did.
      await alice.send("general", "flush");
      await d1.waitFor("message:new", (m) => m.channel_id === "general");
      assert.equal(d1.of("message:new").filter((m) => m.channel_id === body.channel_id).length, 0);
    } finally {
      for (const s of [a1, a2, b1, d1]) s.close();
    }
  });

  test("a member added later receives the channel's events at once, without reconnecting", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const carol = await Client.login(ctx.url, "carol");
    const { body } = await alice.post("/api/channels", { name: "Grow", members: [] });
    const c1 = await carol.connect();
    try {
      await alice.post(`/api/channels/${body.channel_id}/members`, { uids: ["carol"] });
      await c1.waitFor("channel:updated", (e) => e.channel_id === body.channel_id);
      const sent = await alice.send(body.channel_id, "welcome carol");
      const m = await c1.waitFor("message:new", (m) => m.message_id === sent.body.message.message_id);
      assert.equal(m.payload.content, "welcome carol");
    } finally {
      c1.close();
    }
  });

  test("a member who leaves stops receiving the channel's events", async () => {
    const alice = await Client.login(ctx.url, "alice");
    const bob = await Client.login(ctx.url, "bob");
    const { body } = await alice.post("/api/channels", { name: "Shrink", members: ["bob"] });
    const b1 = await bob.connect();
    try {
      const left = await bob.request("DELETE", `/api/channels/${body.channel_id}/members/bob`);
      assert.equal(left.status, 200);
      await alice.send(body.channel_id, "after bob left");
      await alice.send("general", "marker");
      await b1.waitFor("message:new", (m) => m.channel_id === "general" && m.payload?.content === "marker");
      await sleep(50);
      assert.equal(b1.of("message:new").filter((m) => m.channel_id === body.channel_id).length, 0);
      assert.equal((await bob.get(`/api/channels/${body.channel_id}/messages`)).status, 403);
    } finally {
      b1.close();
    }
  });
});
