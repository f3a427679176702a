// The Python analyzer (analyzePython over tree-sitter-python), on a .py file or on the code cells
// of a notebook (notebookSource, whose mapped locations must stay inside the notebook's text);
// the first byte picks which.
import { analyzePython } from "../../src/inventory/scanners/code/python/index.js";
import { notebookSource } from "../../src/inventory/scanners/code/notebook.js";
import { assertInside, selector, text, type TargetMeta } from "../lib/harness.js";
import { analyze, skipped } from "../lib/code.js";

export const meta: TargetMeta = {
  description: "Python and notebook analyzer (analyzePython, notebookSource)",
  dict: "python",
  seedGlobs: ["__tests__/inventory/scanners/code/fixtures/**/*.{py,ipynb}", "examples/**/*.{py,ipynb}"],
};

export async function fuzz(data: Buffer): Promise<void> {
  const { pick, rest } = selector(data, 2);
  const source = text(rest);
  if (skipped(source, rest)) return;
  if (pick === 0) {
    await analyze("python", source, analyzePython);
    return;
  }
  const nb = notebookSource(source);
  if ("error" in nb) {
    assertInside(source, nb, "notebook error");
    return;
  }
  const a = await analyze("python", nb.text, analyzePython);
  for (const h of a?.hits ?? []) {
    const line = nb.lines[h.row];
    if (line) assertInside(source, line.locate(h.column), `notebook hit ${h.kind}`);
  }
}
