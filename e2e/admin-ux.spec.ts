import { asPeople, createGroup, expect, test } from "./support/fixtures";

test("users: search, confirm before disabling, and no way to disable oneself", async ({ browser }) => {
  await asPeople(browser, ["admin"], async ([admin]) => {
    const created = await admin.page.request.post("/api/admin/users", { data: { uid: "zed", name: "Zed", password: "zed-password-1" } });
    expect(created.status()).toBe(201);
    await admin.page.goto("/admin/users");
    await admin.page.getByLabel("Search users").fill("ze");
    const table = admin.page.getByTestId("users-table");
    await expect(table).toContainText("zed");
    await expect(table).not.toContainText("alice");
    await expect(admin.page).toHaveURL(/q=ze/);
    await admin.page.getByRole("button", { name: "Disable zed" }).click();
    const dialog = admin.page.getByRole("dialog", { name: /Disable Zed/ });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(table).not.toContainText("disabled");
    await admin.page.getByRole("button", { name: "Disable zed" }).click();
    await admin.page.getByRole("dialog").getByRole("button", { name: "Disable zed" }).click();
    await expect(table).toContainText("disabled");

    await admin.page.getByLabel("Search users").fill("admin");
    await expect(table).toContainText("you");
    await expect(admin.page.getByRole("button", { name: "Disable admin" })).toHaveCount(0);
  });
});

test("revocations: filters live in the URL; the detail shows the recalled text as text", async ({ browser }) => {
  await asPeople(browser, ["alice", "admin"], async ([alice, admin]) => {
    const id = await createGroup(alice.page, "Audit", ["bob"]);
    const sent = await (
      await alice.page.request.post(`/api/channels/${id}/messages`, { data: { payload: { type: 1, content: "line one\nline two" } } })
    ).json();
    await alice.page.request.post(`/api/messages/${sent.message.message_id}/revoke`, { data: { reason: "typo" } });
    await admin.page.goto(`/admin/revocations?channel_id=${id}`);
    await expect(admin.page.getByLabel("Filter by channel")).toHaveValue(id);
    const rows = admin.page.getByTestId("revocations-table").locator("tbody tr");
    await expect(rows).toHaveCount(1);
    await rows.first().click();
    const content = admin.page.getByTestId("original-content");
    await expect(content).toHaveText("line one\nline two");
    await expect(content).not.toContainText("{");
  });
});

test("webhooks: the raw body keeps int64 ids exact; health has a copy button for the address; receipts update live", async ({
  browser,
}) => {
  await asPeople(browser, ["admin", "alice", "bob"], async ([admin, alice, bob]) => {
    await admin.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await admin.page.goto("/admin/health");
    const config = await admin.page.getByTestId("webhook-config").textContent();
    const url = config?.match(/"(http[^"]+)"/)?.[1] ?? "";
    expect(url).toContain("/api/webhooks/wukongim/");
    await admin.page.getByRole("button", { name: "Copy webhook address" }).click();
    await expect(admin.page.getByRole("button", { name: "Copy webhook address" })).toHaveText("Copied");
    expect(await admin.page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    const id = "9223372036854775801";
    const payload = Buffer.from(JSON.stringify({ type: 1, content: "exact" })).toString("base64");
    const body = `[{"header":{"no_persist":0,"red_dot":1,"sync_once":0},"message_id":${id},"client_msg_no":"x1","message_seq":1,"from_uid":"alice","channel_id":"general","channel_type":2,"timestamp":1700000000,"payload":"${payload}"}]`;
    expect(
      (await admin.page.request.post(`${url}?event=msg.notify`, { data: body, headers: { "content-type": "application/json" } })).status(),
    ).toBe(200);
    await admin.page.goto("/admin/webhooks");
    await admin.page.getByTestId("webhooks-table").locator("tbody tr").first().click();
    await expect(admin.page.getByTestId("raw-body")).toContainText(`"message_id": ${id}`);

    // Receipts: a read elsewhere changes the page without a reload.
    const groupId = await createGroup(alice.page, "Live stats", ["bob"]);
    await alice.page.request.post(`/api/channels/${groupId}/messages`, { data: { payload: { type: 1, content: "count me" } } });
    await admin.page.goto("/admin/receipts");
    const row = admin.page.getByRole("row").filter({ hasText: "Live stats" });
    await expect(row).toContainText("0.0 %");
    await bob.page.request.post(`/api/channels/${groupId}/read`, { data: { message_seq: 1 } });
    await expect(row).toContainText("100.0 %");
  });
});
