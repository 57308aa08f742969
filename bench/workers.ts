import os from "node:os";
import postgres from "postgres";
import { closeDb } from "@/lib/db/client";
import { startThrowawayPostgres } from "../tests/support/database";
import { startTestServer, type TestServer } from "../tests/support/server";

/**
 * `--workers=1,2`: the HTTP measures (P1 HTTP, P4) against servers of 1, 2…
 * worker processes (WORKERS=N), each on a fresh throwaway database, each
 * beside its floors measured in the same run (the measures compute them), so
 * a ratio compares like with like. The rows each run adds are labelled with
 * its worker count; the load average is printed, the machine being shared.
 */
export async function benchWorkers({
  counts,
  env,
  rows,
  measure,
}: {
  counts: number[];
  env: Record<string, string>;
  rows: { measure: string }[];
  measure: (server: TestServer, sql: postgres.Sql) => Promise<void>;
}) {
  for (const workers of counts) {
    const pg = await startThrowawayPostgres();
    const sql = postgres(pg.url, { max: 40, onnotice: () => {} });
    let server: TestServer | undefined;
    const first = rows.length;
    const load = os.loadavg()[0];
    try {
      server = await startTestServer({ ...env, DATABASE_URL: pg.url, WORKERS: String(workers) });
      // The floors run imdesk's own query functions on imdesk's own pool settings, against this run's database.
      process.env.DATABASE_URL = pg.url;
      await measure(server, sql);
    } finally {
      await closeDb();
      await sql.end();
      await server?.stop();
      await pg.stop();
    }
    for (const row of rows.slice(first)) row.measure = `WORKERS=${workers}: ${row.measure.trim()}`;
    process.stderr.write(`[bench] WORKERS=${workers}: load average ${load.toFixed(2)} at start, ${os.loadavg()[0].toFixed(2)} at end\n`);
  }
}
