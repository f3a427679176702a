// Python (and notebook code cells): the adapter the code scanner calls (languages.ts), and the
// analysis of one file, part by part over one tree-sitter tree: what names and calls stand for
// (names.ts), model calls and the profile facts (evidence.ts), unsafe loaders and remote code
// (loaders.ts), unpinned downloads (downloads.ts), tools given to a model (tools.ts), the data
// flow (flow.ts), secrets (secrets.ts) and the comments suppressions are read from. Each call is
// matched against the data in policies/code/patterns.json.
import type { Tree } from "web-tree-sitter";
import { readComments } from "../comments.js";
import { agencyEvidence } from "../evidence.js";
import type { LanguageAdapter } from "../languages.js";
import { emptyAnalysis, foldRepeatedHits, type FileAnalysis } from "../model.js";
import { roundTripLoads } from "../round-trip.js";
import type { PyFile } from "./context.js";
import { downloadFindings } from "./downloads.js";
import { modelCalls, usageEvidence } from "./evidence.js";
import { dataFlow } from "./flow.js";
import { loadFindings } from "./loaders.js";
import { readCalls, resolveNames } from "./names.js";
import { secretFindings } from "./secrets.js";
import { assignmentChains } from "./syntax.js";
import { toolsGiven } from "./tools.js";
import { queryRoot } from "../tree-walk.js";
import { pythonScopes } from "./propagation.js";

export interface PythonOptions {
  /** The notebook cell of a 0-based row (notebooks only): module-level code in two cells is two scopes. */
  cellOf?: (row: number) => number;
  /** Summarise the file's data flow for other files (summary.ts); not for notebooks. */
  summarise?: boolean;
}

export const pythonAdapter: LanguageAdapter = {
  grammars: ["python"],
  analyze: (tree, text, o) => analyzePython(tree, text, { cellOf: o.cellOf, summarise: o.summarise }),
};

/**
 * The parts run in this order: it is the order of the hits and evidence in the result, and the
 * data flow reads what came before it (the model calls, the tools, the loader hits).
 */
export function analyzePython(tree: Tree, text: string, options: PythonOptions = {}): FileAnalysis {
  const root = queryRoot(tree.rootNode, "python");
  const chains = assignmentChains(root);
  const names = resolveNames(root, chains.list);
  const calls = readCalls(root, names.qname);
  const file: PyFile = {
    root,
    text,
    out: emptyAnalysis(),
    names,
    calls,
    callById: new Map(calls.map((c) => [c.node.id, c] as const)),
    chains,
    llmCalls: new Set(),
    scopes: pythonScopes(root),
  };
  modelCalls(file);
  // Loads of what the same function, test or notebook cell has just written are round trips.
  const roundTrips = roundTripLoads(root, calls, options.cellOf);
  for (const c of calls) {
    loadFindings(file, c, roundTrips.has(c.node.id));
    downloadFindings(file, c);
  }
  usageEvidence(file);
  const toolFunctions = toolsGiven(file);
  agencyEvidence(file);
  dataFlow(file, toolFunctions, options.summarise);
  secretFindings(file);
  foldRepeatedHits(file.out.hits, "code.unpinned-download");
  readComments(file);
  return file.out;
}
