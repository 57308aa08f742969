import { after, before } from "node:test";
import { buildIfNeeded } from "../../scripts/build-if-needed";
import { startTestDatabase, type TestDatabase } from "./database";
import { startTestServer, type TestServer } from "./server";

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Everything a test file starts — databases, servers, fakes — stopped after
 * its tests in reverse order, also when they fail, so nothing outlives a run.
 */
export function testStack() {
  const running: Stoppable[] = [];
  after(async () => {
    for (const r of running.reverse()) await r.stop().catch((err) => console.error("stopping a test process failed", err));
  });
  return {
    track<T extends Stoppable>(thing: T): T {
      running.push(thing);
      return thing;
    },
    async database(): Promise<TestDatabase> {
      buildIfNeeded();
      return this.track(await startTestDatabase());
    },
    async server(env: Record<string, string | undefined>): Promise<TestServer> {
      return this.track(await startTestServer(env));
    },
    /** One database and `count` servers sharing it (a cluster, or one plain server). */
    async servers(count: number, env: Record<string, string | undefined> = {}) {
      const db = await this.database();
      const servers: TestServer[] = [];
      for (let i = 0; i < count; i++) servers.push(await this.server({ DATABASE_URL: db.url, ...env }));
      return { db, servers };
    },
  };
}

/** One database and one server for a test file, started before its tests and stopped after them. */
export function withServer(env: Record<string, string | undefined> = {}) {
  const ctx = {} as { db: TestDatabase; server: TestServer; url: string };
  const stack = testStack();
  before(async () => {
    const { db, servers } = await stack.servers(1, env);
    Object.assign(ctx, { db, server: servers[0], url: servers[0].url });
  });
  return ctx;
}
