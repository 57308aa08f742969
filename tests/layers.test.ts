import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

/**
 * The layering docs/architecture.md draws, kept by the build: the folder
 * import graph of lib/, components/ and app/ has no cycle, lib/ never imports
 * the pages or components, and features reach each other only through
 * lib/shared. No database, no server: it reads the sources.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const FEATURES = ["lib/chat", "lib/receipts", "lib/revoke", "lib/admin"];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** A file's folder node: `lib/<folder>` inside lib/ (a file directly in lib/ is a node of its own), else the top folder. */
function folderOf(file: string): string {
  const parts = file.replace(/\.tsx?$/, "").split("/");
  return parts[0] === "lib" ? `lib/${parts[1]}` : parts[0];
}

/** Every folder-to-folder import, with one file that makes it (for the failure message). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of ["lib", "components", "app"].flatMap(sourceFiles)) {
    const source = readFileSync(path.join(ROOT, file), "utf8");
    const targets = [
      ...[...source.matchAll(/(?:from|import)\s*\(?\s*["']@\/([^"']+)["']/g)].map((m) => m[1]),
      ...[...source.matchAll(/(?:from|import)\s*\(?\s*["'](\.\.?\/[^"']+)["']/g)].map((m) => path.join(path.dirname(file), m[1])),
    ];
    for (const target of targets) {
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from === to) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      graph.get(from)?.set(to, graph.get(from)?.get(to) ?? `${file} → ${target}`);
    }
  }
  return graph;
}

function findCycle(graph: Map<string, Map<string, string>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const trail: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...trail.slice(trail.indexOf(node)), node];
    state.set(node, "open");
    trail.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const graph = folderGraph();
const edges = [...graph].flatMap(([from, tos]) => [...tos].map(([to, via]) => ({ from, to, via })));

test("no folder imports a folder that imports it back, however far round", () => {
  const cycle = findCycle(graph);
  const steps = cycle?.slice(1).map((to, i) => graph.get(cycle[i])?.get(to));
  assert.equal(cycle, undefined, `folder import cycle ${cycle?.join(" → ")}:\n  ${steps?.join("\n  ")}`);
});

test("lib/ never imports components/ or app/", () => {
  const upward = edges.filter((e) => e.from.startsWith("lib/") && !e.to.startsWith("lib/"));
  assert.deepEqual(
    upward.map((e) => e.via),
    [],
  );
});

test("components/ never import app/ (pages import components, not the other way)", () => {
  assert.deepEqual(
    edges.filter((e) => e.from === "components" && e.to === "app").map((e) => e.via),
    [],
  );
});

test("features do not import each other: what they share lives in lib/shared", () => {
  const sideways = edges.filter((e) => FEATURES.includes(e.from) && FEATURES.includes(e.to));
  assert.deepEqual(
    sideways.map((e) => e.via),
    [],
  );
});

test("lib/shared, lib/realtime and lib/db import no feature and no entry point", () => {
  const below = ["lib/shared", "lib/realtime", "lib/db"];
  const above = [...FEATURES, "lib/ingest", "lib/webhooks", "lib/http", "lib/server"];
  const upward = edges.filter((e) => below.includes(e.from) && above.includes(e.to));
  assert.deepEqual(
    upward.map((e) => e.via),
    [],
  );
});

test("the graph is read at all (a renamed folder must not make every check pass vacuously)", () => {
  assert.ok(graph.get("lib/chat")?.has("lib/shared"), "lib/chat imports lib/shared");
  assert.ok(graph.get("app")?.has("components"), "app imports components");
});
