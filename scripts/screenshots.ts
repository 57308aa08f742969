import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { Client } from "../tests/support/clients";
import { startTestServer } from "../tests/support/server";
import { buildIfNeeded } from "./build-if-needed";

// `npx tsx scripts/screenshots.ts`: the demo with some activity, each page at desktop width, into docs/screenshots/.
buildIfNeeded();
const out = path.join(process.cwd(), "docs", "screenshots");
await mkdir(out, { recursive: true });
const dataDir = await mkdtemp(path.join(tmpdir(), "imdesk-shots-"));
const secret = "screenshot-webhook-secret";
const server = await startTestServer({ DATA_DIR: dataDir, DATABASE_URL: undefined, WEBHOOK_SECRET: secret });
const browser = await chromium.launch({
  executablePath: existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map((u) => Client.login(server.url, u)));
  const team = (await alice.post("/api/channels", { name: "Launch team", members: ["bob", "carol", "dave"] })).body.channel_id;
  const lines: [Client, string][] = [
    [alice, "Morning! Release notes are in the doc."],
    [bob, "Thanks, reading now."],
    [carol, "Two typos on page 2, fixing."],
    [alice, "Ship at 15:00?"],
    [bob, "wrong window, sorry"],
  ];
  const sent = [];
  for (const [c, t] of lines) sent.push((await c.send(team, t)).body.message);
  await bob.post(`/api/messages/${sent[4].message_id}/revoke`, { reason: "wrong window" });
  await bob.post(`/api/channels/${team}/read`, { message_seq: 4 });
  await carol.post(`/api/channels/${team}/read`, { message_seq: 2 });
  const g = (await alice.send("general", "Welcome to imdesk 👋")).body.message;
  await alice.post(`/api/messages/${g.message_id}/revoke`);
  const hook = `${server.url}/api/webhooks/wukongim/${secret}`;
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");
  const msg = (id: string, seq: number, extra = "") =>
    `{"header":{"no_persist":0,"red_dot":1,"sync_once":0},"setting":0,"message_id":${id},"message_idstr":"${id}","client_msg_no":"wk${id}","message_seq":${seq},"from_uid":"u_wk","channel_id":"g_wukongim","channel_type":2,"expire":0,"timestamp":${Math.floor(Date.now() / 1000)},"payload":"${b64({ type: 1, content: "hello from WuKongIM" })}"${extra}}`;
  await fetch(`${hook}?event=msg.notify`, { method: "POST", body: `[${msg("1826478392173219841", 1)},${msg("1826478392173219842", 2)}]` });
  await fetch(`${hook}?event=msg.notify`, { method: "POST", body: `[${msg("1826478392173219841", 1)}]` });
  await fetch(`${hook}?event=msg.notify`, { method: "POST", body: "{broken" });
  const gz = gzipSync(Buffer.from(JSON.stringify(["bob", "carol"]))).toString("base64");
  await fetch(`${hook}?event=msg.offline`, {
    method: "POST",
    body: msg("1826478392173219842", 2, `,"to_uids":[],"compress":"gzip","compress_to_uids":"${gz}"`),
  });
  await fetch(`${hook}?event=user.onlinestatus`, { method: "POST", body: '["u_wk-0-1-11-1-2","u_wk-1-1-12-1-2","bob-1-0"]' });

  const ctx = await browser.newContext({ baseURL: server.url, viewport: { width: 1360, height: 820 } });
  const page = await ctx.newPage();
  const signIn = async (uid: string) => {
    await page.goto("/login");
    await page.getByLabel("Username").fill(uid);
    await page.getByLabel("Password").fill("demo-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/chat");
  };
  await signIn("alice");
  await page.locator(`[data-channel-id="${team}"]`).click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(out, "chat.png") });
  await page.getByTestId("message").filter({ hasText: "Ship at 15:00" }).getByTestId("receipt-count").click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(out, "chat-receipts.png") });
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: /members/ }).click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(out, "chat-members.png") });
  await page.keyboard.press("Escape");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(out, "chat-dark.png") });
  await page.emulateMedia({ colorScheme: "light" });
  await ctx.clearCookies();
  await signIn("admin");
  for (const [p, name] of [
    ["/admin", "admin-overview"],
    ["/admin/revocations", "admin-revocations"],
    ["/admin/receipts", "admin-receipts"],
    ["/admin/webhooks", "admin-webhooks"],
    ["/admin/push", "admin-push"],
    ["/admin/presence", "admin-presence"],
    ["/admin/users", "admin-users"],
    ["/admin/health", "admin-health"],
  ]) {
    await page.goto(p);
    await page.waitForTimeout(900);
    if (name === "admin-receipts") {
      await page.getByTestId("row").filter({ hasText: "Launch team" }).click();
      await page.waitForTimeout(900);
    }
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
  }
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
