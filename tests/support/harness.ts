import { after, before } from "node:test";
import { buildIfNeeded } from "../../scripts/build-if-needed";
import { startTestDatabase, type TestDatabase } from "./database";
import { startTestServer, type TestServer } from "./server";

/**
 * One database and one server for a test file, started before its tests and
 * stopped after them, also when they fail.
 */
export function withServer(env: Record<string, string | undefined> = {}) {
  const ctx = {} as { db: TestDatabase; server: TestServer; url: string };
  before(async () => {
    buildIfNeeded();
    ctx.db = await startTestDatabase();
    try {
      ctx.server = await startTestServer({ DATABASE_URL: ctx.db.url, ...env });
    } catch (err) {
      await ctx.db.stop();
      throw err;
    }
    ctx.url = ctx.server.url;
  });
  after(async () => {
    await ctx.server?.stop();
    await ctx.db?.stop();
  });
  return ctx;
}
