import { readFile, writeFile } from "node:fs/promises";

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

/**
 * A full run puts its table, and the line saying where it ran, at the top of
 * the README's bench section (between the markers), in place of the previous
 * run's; the notes written under the table (explanations, before/after
 * tables) stay for a person to revise. Quick runs never come here.
 */
export async function writeReadmeTable({ heading, table }: { heading: string; table: string }, file = "README.md") {
  const { text, start, end, lines, first, last } = await readSection(file);
  const notes = first >= 0 ? lines.slice(last + 1) : lines.slice(1);
  const section = ["", heading, "", table, ...notes].join("\n");
  await writeFile(file, `${text.slice(0, start + START.length)}${section}${text.slice(end)}`);
}

/**
 * One measure's rows put into the table of the last full run, in place of that
 * measure's previous rows or after the last row: the 10-minute soak (P8) runs
 * on its own, and its row is dated in its measure column.
 */
export async function writeReadmeRows(id: string, rows: string[], file = "README.md") {
  const { text, start, end, lines, first, last } = await readSection(file);
  if (first < 0) throw new Error(`${file}: no table between ${START} and ${END}`);
  const table = lines.slice(first, last + 1);
  const isId = (l: string) => new RegExp(`^\\|\\s*${id}\\s*\\|`).test(l);
  const at = table.findIndex(isId);
  const kept = table.filter((l) => !isId(l));
  kept.splice(at < 0 ? kept.length : at, 0, ...rows);
  const section = [...lines.slice(0, first), ...kept, ...lines.slice(last + 1)].join("\n");
  await writeFile(file, `${text.slice(0, start + START.length)}${section}${text.slice(end)}`);
}

async function readSection(file: string) {
  const text = await readFile(file, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: no ${START} … ${END} section`);
  const lines = text.slice(start + START.length, end).split("\n");
  // The previous run's heading and table: everything up to the end of the first table.
  const first = lines.findIndex((l) => l.startsWith("|"));
  let last = first;
  while (first >= 0 && last + 1 < lines.length && lines[last + 1].startsWith("|")) last++;
  return { text, start, end, lines, first, last };
}
