import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { buildIfNeeded } from "./build-if-needed";

// `npm test`: every check the project makes, in order, each step timed, the
// fastest first (the unit tier answers in seconds); the shared throwaway
// PostgreSQL is stopped however the run ends. `npm test -- <step…>` runs only those.
const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);

function run(label: string, cmd: string, args: string[], env: Record<string, string> = {}): Promise<boolean> {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code) => {
      console.log(`${code === 0 ? "✔" : "✘"} ${label} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
      resolve(code === 0);
    });
  });
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === "support"
        ? []
        : testFiles(path.join(dir, e.name))
      : e.name.endsWith(".test.ts") && !e.name.endsWith(".unit.test.ts")
        ? [path.join(dir, e.name)]
        : [],
  );
}

const only = process.argv.slice(2);
const want = (step: string) => only.length === 0 || only.includes(step);
const results: [string, boolean][] = [];
const started = Date.now();

if (want("unit"))
  results.push([
    "unit",
    await run("unit tests (node:test beside the code, no database)", process.execPath, [
      "--import",
      "tsx",
      "--test-reporter=spec",
      "scripts/unit-tests.ts",
    ]),
  ]);
if (want("typecheck")) results.push(["typecheck", await run("typecheck (tsc)", bin("tsc"), ["--noEmit"])]);
if (want("lint")) results.push(["lint", await run("biome check (format, imports, lint)", bin("biome"), ["check", "."])]);
if (want("integration") || want("e2e") || want("bench")) buildIfNeeded();
if (want("integration")) {
  // Loaded here, not at the top: `npm test -- unit` starts in a moment without the database code.
  const { startThrowawayPostgres } = await import("../tests/support/database");
  const pg = await startThrowawayPostgres();
  try {
    results.push([
      "integration",
      await run(
        "integration tests (node:test, real PostgreSQL and server)",
        process.execPath,
        ["--import", "tsx", "--test", "--test-concurrency=1", ...testFiles("tests")],
        {
          IMDESK_TEST_PG_URL: pg.url,
        },
      ),
    ]);
  } finally {
    await pg.stop();
  }
}
if (want("e2e")) results.push(["e2e", await run("end-to-end tests (Playwright, Chromium)", bin("playwright"), ["test"])]);
if (want("bench"))
  results.push([
    "bench",
    await run("benchmark smoke run (npm run bench -- --quick)", process.execPath, ["--import", "tsx", "bench/run.ts", "--quick"]),
  ]);

const failed = results.filter(([, ok]) => !ok).map(([name]) => name);
console.log(
  `\nSteps: ${results.map(([n, ok]) => `${n} ${ok ? "ok" : "FAILED"}`).join(", ")} — ${((Date.now() - started) / 1000).toFixed(0)}s`,
);
process.exit(failed.length ? 1 : 0);
