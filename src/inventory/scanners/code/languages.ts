// The languages the code scanner analyses, one adapter each (python/, js/). An adapter turns one
// parsed tree into a FileAnalysis; the scanner does the reading, prefiltering and reporting.
import type { Tree } from "web-tree-sitter";
import type { FileAnalysis } from "./model.js";
import { pythonAdapter } from "./python/index.js";
import { jsAdapter } from "./js/index.js";
import type { LanguageId } from "./parser.js";

export interface AnalyzeOptions {
  /** The file's path in the repository (route handlers are known by it). */
  path: string;
  /** The notebook cell of a 0-based row (notebooks only): module-level code in two cells is two scopes. */
  cellOf?: (row: number) => number;
  /** Summarise the file's data flow for other files (summary.ts); not for notebooks. */
  summarise: boolean;
}

export interface LanguageAdapter {
  /** The grammars it reads. */
  grammars: readonly LanguageId[];
  analyze(tree: Tree, text: string, options: AnalyzeOptions): FileAnalysis;
}

const ADAPTERS: readonly LanguageAdapter[] = [pythonAdapter, jsAdapter];

/** The adapter for a grammar. */
export function adapterFor(grammar: LanguageId): LanguageAdapter {
  const a = ADAPTERS.find((x) => x.grammars.includes(grammar));
  if (!a) throw new Error(`no code analyzer for ${grammar}`);
  return a;
}
