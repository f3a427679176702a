// The code analyzers on one source text, as the code scanner runs them: tree-sitter parse (with
// its time limit), then the analysis. AnalysisGaveUp (the data-flow budget) is the documented
// bad-input result; any other exception is a bug. Every location must be a line of the text.
import { AnalysisGaveUp } from "../../src/inventory/scanners/code/tree-walk.js";
import type { FileAnalysis } from "../../src/inventory/scanners/code/model.js";
import { parseSource, type LanguageId } from "../../src/inventory/scanners/code/parser.js";
import type { Tree } from "web-tree-sitter";
import { expectOnly, invariant } from "./harness.js";

/** What the scanner skips before parsing: binary content and minified lines. */
export function skipped(source: string, data: Buffer): boolean {
  return data.subarray(0, 8192).includes(0) || source.split("\n").some((l) => l.length > 10_000);
}

export async function analyze(lang: LanguageId, source: string, run: (tree: Tree, text: string) => FileAnalysis): Promise<FileAnalysis | undefined> {
  const tree = await parseSource(lang, source);
  if (!tree) return undefined;
  try {
    const a = run(tree, source);
    const rows = source.split("\n").length;
    const points = [...a.hits, ...a.tools, ...a.evidence, ...a.comments];
    for (const p of points)
      invariant(Number.isInteger(p.row) && p.row >= 0 && p.row < rows && p.column >= 0, `${lang}: location ${p.row}:${p.column} outside the ${rows}-line text`);
    for (const m of a.models) invariant(m.row >= 0 && m.row < rows, `${lang}: model ${m.id} at row ${m.row} outside the ${rows}-line text`);
    return a;
  } catch (e) {
    expectOnly(e, AnalysisGaveUp);
    return undefined;
  } finally {
    tree.delete();
  }
}
