import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { startEmbeddedPostgres } from "@/lib/server/embedded-db";

export interface TestDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * A fresh, empty database on a real PostgreSQL. Under `npm test` one embedded
 * server is shared (IMDESK_TEST_PG_URL) and each test file gets its own
 * database in it; run alone, a file starts its own throwaway server.
 */
export async function startTestDatabase(): Promise<TestDatabase> {
  const shared = process.env.IMDESK_TEST_PG_URL;
  if (shared) {
    const name = `t_${randomBytes(6).toString("hex")}`;
    const admin = postgres(shared, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(shared);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      stop: async () => {
        const a = postgres(shared, { max: 1, onnotice: () => {} });
        await a.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
        await a.end();
      },
    };
  }
  return startThrowawayPostgres();
}

/** A whole embedded PostgreSQL in a temporary directory, removed on stop. */
export async function startThrowawayPostgres(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), "imdesk-pg-"));
  const pg = await startEmbeddedPostgres({ dataDir: dir, password: randomBytes(12).toString("hex"), database: "postgres" });
  return {
    url: pg.url,
    stop: async () => {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface ControllableDatabase extends TestDatabase {
  /** Stops PostgreSQL (fast shutdown: open connections are closed), keeping its port and data. */
  down(): Promise<void>;
  /** Starts it again where it was. */
  up(): Promise<void>;
}

/** A throwaway embedded PostgreSQL a test can take away and bring back, for fault tests. */
export async function startControllablePostgres(): Promise<ControllableDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), "imdesk-pg-"));
  const pg = await startEmbeddedPostgres({ dataDir: dir, password: randomBytes(12).toString("hex"), database: "postgres" });
  let running = true;
  return {
    url: pg.url,
    down: async () => {
      running = false;
      await pg.stop();
    },
    up: async () => {
      await pg.start();
      running = true;
    },
    stop: async () => {
      if (running) await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
