import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { asPeople, createGroup, expect, openChannel, openWindowAs, test } from "./support/fixtures";

/** axe-core's serious and critical findings (WCAG 2 A/AA), as "rule: count" lines. */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.length}`);
}

/** A phone-sized window in the given colour scheme, signed in as uid. */
async function phoneAs(browser: Browser, uid: string, colorScheme: "light" | "dark") {
  return openWindowAs(browser, uid, { viewport: { width: 390, height: 800 }, colorScheme });
}

test("everyone's open view follows a leave, an add, a removal, a rename and a role change live", async ({ browser }) => {
  await asPeople(browser, ["alice", "bob", "admin"], async ([alice, bob, admin]) => {
    const id = await createGroup(alice.page, "Live crew", ["bob", "carol"]);
    await openChannel(alice.page, id);
    await alice.page.getByRole("button", { name: "3 members" }).click();
    const panel = alice.page.getByRole("dialog", { name: "Members of Live crew" });
    await expect(panel.getByTestId("member")).toHaveCount(3);

    // Others change the group; alice does nothing but look.
    expect((await bob.page.request.delete(`/api/channels/${id}/members/bob`)).status()).toBe(200);
    await expect(panel.locator('[data-uid="bob"]')).toHaveCount(0);
    expect((await admin.page.request.post(`/api/channels/${id}/members`, { data: { uids: ["dave"] } })).status()).toBe(200);
    await expect(panel.locator('[data-uid="dave"]')).toBeVisible();
    expect((await admin.page.request.patch(`/api/channels/${id}/members/carol`, { data: { role: "admin" } })).status()).toBe(200);
    await expect(panel.locator('[data-uid="carol"]')).toContainText("admin");
    expect((await admin.page.request.delete(`/api/channels/${id}/members/dave`)).status()).toBe(200);
    await expect(panel.locator('[data-uid="dave"]')).toHaveCount(0);
    await panel.getByRole("button", { name: "Close" }).click();
    await expect(alice.page.getByRole("button", { name: "2 members" })).toBeVisible();
    expect((await admin.page.request.patch(`/api/channels/${id}`, { data: { name: "Live crew renamed" } })).status()).toBe(200);
    await expect(alice.page.getByRole("heading", { level: 1 })).toHaveText("Live crew renamed");
  });
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`a member removed while looking is told by whom (${colorScheme}, phone width, keyboard)`, async ({ browser }) => {
    const alice = await phoneAs(browser, "alice", colorScheme);
    const bob = await phoneAs(browser, "bob", colorScheme);
    try {
      const id = await createGroup(alice.page, `Removal ${colorScheme}`, ["bob"]);
      await openChannel(bob.page, id);
      expect((await alice.page.request.delete(`/api/channels/${id}/members/bob`)).status()).toBe(200);
      await expect(bob.page.getByTestId("removed-notice")).toHaveText(`You were removed from Removal ${colorScheme} by Alice.`);
      await expect(bob.page.getByText("does not exist")).toHaveCount(0);
      expect(await seriousViolations(bob.page)).toEqual([]);

      // Removed from a group not on screen: a banner says so, and the keyboard dismisses it.
      const other = await createGroup(alice.page, `Elsewhere ${colorScheme}`, ["bob"]);
      await bob.page.goto("/chat");
      await expect(bob.page.locator(`[data-testid="channel"][data-channel-id="${other}"]`)).toBeVisible();
      expect((await alice.page.request.delete(`/api/channels/${other}/members/bob`)).status()).toBe(200);
      const banner = bob.page.getByTestId("removed-banner");
      await expect(banner).toContainText(`You were removed from Elsewhere ${colorScheme} by Alice.`);
      expect(await seriousViolations(bob.page)).toEqual([]);
      await banner.getByRole("button", { name: "Dismiss" }).focus();
      await bob.page.keyboard.press("Enter");
      await expect(banner).toHaveCount(0);
    } finally {
      await alice.context.close();
      await bob.context.close();
    }
  });

  test(`a person disabled while signed in is told so and signed out (${colorScheme}, phone width, keyboard)`, async ({ browser }) => {
    const uid = `erin${colorScheme}${Date.now() % 100000}`;
    const admin = await phoneAs(browser, "admin", colorScheme);
    try {
      const created = await admin.page.request.post("/api/admin/users", { data: { uid, name: "Erin", password: "demo-password" } });
      expect(created.status()).toBe(201);
      const erin = await phoneAs(browser, uid, colorScheme);
      try {
        await expect(erin.page.getByTestId("connection-banner")).toHaveCount(0);
        expect((await admin.page.request.patch(`/api/admin/users/${uid}`, { data: { disabled: true } })).status()).toBe(200);
        const heading = erin.page.getByRole("heading", { name: "Your account was disabled by an administrator" });
        await expect(heading).toBeVisible();
        await expect(heading).toBeFocused();
        await expect(erin.page.getByText("reconnecting")).toHaveCount(0);
        expect(await seriousViolations(erin.page)).toEqual([]);
        await erin.page.keyboard.press("Tab");
        await expect(erin.page.getByRole("link", { name: "Go to sign-in" })).toBeFocused();
        // The page header speaks of no session any more: no name, no links, no "Sign out".
        await expect(erin.page.getByTestId("current-user")).toHaveCount(0);
        await expect(erin.page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
        await expect(erin.page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
        // Signed out: the sign-in page stays the sign-in page, also after a reload.
        await erin.page.keyboard.press("Enter");
        await expect(erin.page).toHaveURL(/\/login/);
        await erin.page.goto("/chat");
        await expect(erin.page).toHaveURL(/\/login/);
        // The right password is told why; a wrong one learns nothing about the account.
        await erin.page.getByLabel("Username").fill(uid);
        await erin.page.getByLabel("Password").fill("demo-password");
        await erin.page.keyboard.press("Enter");
        await expect(erin.page.locator("form").getByRole("alert")).toHaveText("This account was disabled by an administrator.");
        await expect(erin.page).toHaveURL(/\/login/);
        expect(await seriousViolations(erin.page)).toEqual([]);
        await expect(erin.page.getByLabel("Password")).toBeFocused();
        await erin.page.getByLabel("Password").fill("not-erins-password");
        await erin.page.keyboard.press("Enter");
        await expect(erin.page.locator("form").getByRole("alert")).toHaveText("Wrong username or password.");
      } finally {
        await erin.context.close();
      }
    } finally {
      await admin.context.close();
    }
  });
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`an administrator disabled while in the admin console is told so there (${colorScheme}, phone width, keyboard)`, async ({
    browser,
  }) => {
    const uid = `adm${colorScheme}${Date.now() % 100000}`;
    const admin = await phoneAs(browser, "admin", colorScheme);
    try {
      const created = await admin.page.request.post("/api/admin/users", {
        data: { uid, name: "Ada", password: "demo-password", role: "admin" },
      });
      expect(created.status()).toBe(201);
      const ada = await phoneAs(browser, uid, colorScheme);
      try {
        await ada.page.goto("/admin/users");
        await expect(ada.page.getByRole("navigation", { name: "Admin" })).toBeVisible();
        expect((await admin.page.request.patch(`/api/admin/users/${uid}`, { data: { disabled: true } })).status()).toBe(200);
        const heading = ada.page.getByRole("heading", { name: "Your account was disabled by an administrator" });
        await expect(heading).toBeVisible();
        await expect(heading).toBeFocused();
        await expect(ada.page.getByRole("navigation", { name: "Admin" })).toHaveCount(0);
        await expect(ada.page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
        expect(await seriousViolations(ada.page)).toEqual([]);
        await ada.page.keyboard.press("Tab");
        await expect(ada.page.getByRole("link", { name: "Go to sign-in" })).toBeFocused();
      } finally {
        await ada.context.close();
      }
    } finally {
      await admin.context.close();
    }
  });
}

test("a tab that was offline when its account was disabled says so when it reconnects, not just 'session ended'", async ({ browser }) => {
  const uid = `offline${Date.now() % 100000}`;
  await asPeople(browser, ["admin"], async ([admin]) => {
    expect((await admin.page.request.post("/api/admin/users", { data: { uid, name: "Olive", password: "demo-password" } })).status()).toBe(
      201,
    );
    await asPeople(browser, [uid], async ([olive]) => {
      await expect(olive.page.getByTestId("connection-banner")).toHaveCount(0);
      await olive.context.setOffline(true);
      await expect(olive.page.getByTestId("connection-banner")).toHaveText("Offline — reconnecting…");
      expect((await admin.page.request.patch(`/api/admin/users/${uid}`, { data: { disabled: true } })).status()).toBe(200);
      await olive.context.setOffline(false);
      await expect(olive.page.getByRole("heading", { name: "Your account was disabled by an administrator" })).toBeVisible();
      await expect(olive.page.getByText("Your session has ended")).toHaveCount(0);
    });
  });
});

test("a member removed while her members dialog is open is told once, with focus on the notice", async ({ browser }) => {
  await asPeople(browser, ["alice", "bob"], async ([alice, bob]) => {
    const id = await createGroup(alice.page, "Told once", ["bob"]);
    const stay = await createGroup(alice.page, "Still here", ["bob"]);
    await openChannel(bob.page, id);
    await bob.page.getByRole("button", { name: "2 members" }).click();
    await expect(bob.page.getByRole("dialog", { name: "Members of Told once" })).toBeVisible();
    expect((await alice.page.request.delete(`/api/channels/${id}/members/bob`)).status()).toBe(200);
    const notice = bob.page.getByTestId("removed-notice");
    await expect(notice).toHaveText("You were removed from Told once by Alice.");
    await expect(bob.page.getByRole("dialog")).toHaveCount(0);
    // Focus does not fall to the page: it lands on the news.
    await expect(notice).toBeFocused();
    // Read once: moving on does not pop it up again as a banner.
    await openChannel(bob.page, stay);
    await expect(bob.page.getByRole("heading", { level: 1 })).toHaveText("Still here");
    await expect(bob.page.getByTestId("removed-banner")).toHaveCount(0);
    await expect(bob.page.getByText("You were removed from Told once by Alice.")).toHaveCount(0);
  });
});
