import { expect, messageWithText, openChannel, openWindowAs, signIn, test } from "./support/fixtures";

test("message content is text only: markup and javascript: links never run", async ({ browser }) => {
  const alice = await openWindowAs(browser, "alice");
  const bob = await openWindowAs(browser, "bob");
  try {
    await openChannel(alice.page, "general");
    await openChannel(bob.page, "general");
    const attacks = [
      `<img src=x onerror="window.__pwned=1">`,
      `<a href="javascript:window.__pwned=2">click me</a>`,
      `<script>window.__pwned=3</script>`,
    ];
    for (const text of attacks) {
      await alice.page.getByLabel("Message").fill(text);
      await alice.page.getByLabel("Message").press("Enter");
    }
    for (const page of [alice.page, bob.page]) {
      for (const text of attacks) await expect(messageWithText(page, text)).toBeVisible();
      const list = page.getByRole("list", { name: "Conversation history" });
      await expect(list.locator("img, script, a[href^='javascript']")).toHaveCount(0);
      await messageWithText(page, "click me").click();
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    }
  } finally {
    await alice.context.close();
    await bob.context.close();
  }
});

// The cookie under test is the one the sign-in form sets, so this test signs in through the form.
test("pages carry the security headers, and the session cookie is HttpOnly and SameSite", async ({ page }) => {
  await signIn(page, "alice");
  const res = await page.goto("/chat");
  const h = res?.headers() ?? {};
  expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(h["content-security-policy"]).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  const session = (await page.context().cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  // A state change with the cookie from another origin is refused.
  const cross = await page.request.post("/api/channels", {
    data: { name: "x", members: [] },
    headers: { origin: "https://evil.example" },
  });
  expect(cross.status()).toBe(403);
  expect((await cross.json()).error.code).toBe("cross_origin");
});
