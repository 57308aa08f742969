import { randomBytes } from "node:crypto";
import { buildIfNeeded } from "../scripts/build-if-needed";
import { startThrowawayPostgres } from "../tests/support/database";
import { startTestServer } from "../tests/support/server";
import { runLoad } from "./load";

// `npm run load [-- --clients 200 --groups 20 --ops 10000]`
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
process.env.AUTH_SECRET = randomBytes(32).toString("hex");
buildIfNeeded();
const pg = await startThrowawayPostgres();
const server = await startTestServer({ DATABASE_URL: pg.url, AUTH_SECRET: process.env.AUTH_SECRET });
try {
  const report = await runLoad({
    url: server.url,
    databaseUrl: pg.url,
    clients: arg("clients", 200),
    groups: arg("groups", 20),
    ops: arg("ops", 10_000),
  });
  console.log(JSON.stringify(report, null, 2));
  console.log(
    `${report.ops} operations (${report.sends} sends, ${report.reads} reads, ${report.revokes} revokes) in ${(report.ms / 1000).toFixed(1)} s — ${report.problems.length ? "PROBLEMS" : "all exact"}`,
  );
  process.exitCode = report.problems.length ? 1 : 0;
} finally {
  await server.stop();
  await pg.stop();
}
