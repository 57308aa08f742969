// `import { test, expect } from "imdesk/playwright"` (package.json exports):
// Playwright fixtures for testing imdesk, or an app built on it, through a real
// browser. Needs a server in test mode (docs/testing.md): the kit's global
// setup starts one, or IMDESK_URL + IMDESK_TEST_TOKEN name a running one.
import { type BrowserContextOptions, test as base, type Page } from "@playwright/test";
import { type ApiClient, createClient } from "../lib/client/sdk";
import { Chat } from "./chat";
import { type ImdeskTarget, imdeskTarget } from "./server";
import { type SeedInput, type SeedResult, TestMode } from "./test-api";

export { expect } from "@playwright/test";
export { type ApiClient, ClientApiError, call } from "../lib/client/sdk";
export { Chat, ChatMessage } from "./chat";
export { type ImdeskTarget, imdeskTarget, startImdesk } from "./server";
export type { SeedInput, SeedResult, SessionAnswer } from "./test-api";
export { TestMode } from "./test-api";

/** A page signed in as one person: a Page, plus their chat helpers and typed API client. */
export type Person = Page & { uid: string; chat: Chat; api: ApiClient };

/** The server's clock as every rule reads it (recall window, receipts, expiry…). */
export interface ServerClock {
  /** Moves it forward by ms (negative: back). */
  advance(ms: number): Promise<void>;
  /** Makes it read `at` from now on (it keeps ticking). */
  set(at: Date | string): Promise<void>;
  /** Back to real time (also done after each test that moved it). */
  reset(): Promise<void>;
  now(): Promise<Date>;
}

export interface ImdeskFixtures {
  /** Reset the data to the demo seed before each test (default true). Opt out: `test.use({ resetEachTest: false })`. */
  resetEachTest: boolean;
  /** The test-mode routes: reset, seed, clock, session, rate limits, webhook. */
  testMode: TestMode;
  /** The typed API client (`imdesk/client`) signed in as uid, with no sign-in and no rate limit. */
  imdesk: (uid: string) => Promise<ApiClient>;
  /** A new window (own cookies) signed in as uid, on /chat. Closed after the test. */
  as: (uid: string, options?: BrowserContextOptions) => Promise<Person>;
  /** One window per uid, in order. Closed after the test. */
  people: (uids: string[], options?: BrowserContextOptions) => Promise<Person[]>;
  /** Creates users, groups, DMs, past messages, read positions and recalls in one call; answers their ids. */
  seed: (input: SeedInput) => Promise<SeedResult>;
  clock: ServerClock;
  /** Resets the data now (each test already starts from a reset unless opted out). */
  reset: () => Promise<void>;
}

export interface ImdeskWorkerFixtures {
  imdeskServer: ImdeskTarget;
}

export const test = base.extend<ImdeskFixtures & { _imdeskAutoReset: undefined }, ImdeskWorkerFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
  imdeskServer: [async ({}, use) => use(imdeskTarget()), { scope: "worker" }],
  baseURL: async ({ imdeskServer }, use) => use(imdeskServer.url),
  resetEachTest: [true, { option: true }],
  testMode: async ({ imdeskServer }, use) => use(new TestMode(imdeskServer)),

  // Runs for every test, also those that use only `page`: each starts from the demo seed.
  _imdeskAutoReset: [
    async ({ resetEachTest, testMode }, use) => {
      if (resetEachTest) await testMode.reset();
      await use(undefined);
    },
    { auto: true },
  ],

  reset: async ({ testMode }, use) => use(async () => void (await testMode.reset())),
  seed: async ({ testMode }, use) => use((input) => testMode.seed(input)),

  clock: async ({ testMode }, use) => {
    let moved = false;
    await use({
      advance: async (ms) => {
        moved = true;
        await testMode.clockAdvance(ms);
      },
      set: async (at) => {
        moved = true;
        await testMode.clockSet(at);
      },
      reset: async () => void (await testMode.clockReset()),
      now: async () => new Date((await testMode.clockNow()).now),
    });
    // The next test must not inherit a moved clock.
    if (moved) await testMode.clockReset();
  },

  imdesk: async ({ testMode, imdeskServer }, use) => {
    await use(async (uid) => createClient(imdeskServer.url, { token: (await testMode.session(uid)).token }));
  },

  as: async ({ browser, testMode, imdeskServer }, use) => {
    const contexts: { close(): Promise<void> }[] = [];
    await use(async (uid, options = {}) => {
      const session = await testMode.session(uid);
      const context = await browser.newContext({
        ...options,
        baseURL: imdeskServer.url,
        storageState: session.storage_state as BrowserContextOptions["storageState"],
      });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto("/chat");
      if (!new URL(page.url()).pathname.startsWith("/chat"))
        throw new Error(`imdesk/playwright: the session for ${uid} did not sign in (${page.url()})`);
      return Object.assign(page, { uid, chat: new Chat(page), api: createClient(imdeskServer.url, { token: session.token }) });
    });
    for (const c of contexts) await c.close();
  },

  people: async ({ as }, use) => {
    await use(async (uids, options) => {
      const pages: Person[] = [];
      for (const uid of uids) pages.push(await as(uid, options));
      return pages;
    });
  },
});
