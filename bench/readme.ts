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
  const text = await readFile(file, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: no ${START} … ${END} section`);
  const lines = text.slice(start + START.length, end).split("\n");
  // The previous run's heading and table: everything up to the end of the first table.
  const first = lines.findIndex((l) => l.startsWith("|"));
  let last = first;
  while (first >= 0 && last + 1 < lines.length && lines[last + 1].startsWith("|")) last++;
  const notes = first >= 0 ? lines.slice(last + 1) : lines.slice(1);
  const section = ["", heading, "", table, ...notes].join("\n");
  await writeFile(file, `${text.slice(0, start + START.length)}${section}${text.slice(end)}`);
}
