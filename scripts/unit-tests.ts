import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// The fast unit tier: every `*.unit.test.ts` beside the code in lib/ and
// components/ (no database, no server, no network), run by node:test in this
// one process — one TypeScript loader start instead of one per file, which on
// a busy machine is most of the tier's time. `npm run test:unit [files…]`.
export function unitTestFiles(dirs = ["lib", "components"]): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".unit.test.ts") ? [path.join(dir, e.name)] : [],
    );
  return dirs.flatMap(walk).sort();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const only = process.argv.slice(2);
  for (const file of only.length ? only : unitTestFiles()) await import(pathToFileURL(path.resolve(file)).href);
}
