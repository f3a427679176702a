// What a file of either language shows about the system, as evidence for its facts, recorded
// alike: calls of a model (isLLM, isGenAI, and modelHostedExternally for a hosted API; marked as
// evaluation when the call sits in a function that only judges or grades the system's output),
// training and retrieval calls, and tools given to a model (hasAgency).
import type { Node } from "web-tree-sitter";
import type { FileAnalysis } from "./model.js";
import { anyName, codePatterns, findPattern, type CallPattern } from "./patterns.js";
import { at } from "./places.js";
import { innermostFunctions } from "./tree-walk.js";

/**
 * Records the calls `found` (each matching one of `patterns`) as model calls and adds their node
 * ids to `llmCalls`; `functionTypes` are the node types of the language's named functions.
 */
export function modelCallEvidence(
  file: { root: Node; out: FileAnalysis },
  found: readonly { node: Node; name: string }[],
  patterns: CallPattern[],
  functionTypes: readonly string[],
  llmCalls: Set<number>,
): void {
  // A call in a function that only judges or grades the system's output is not the system's model.
  const judging = new RegExp(codePatterns().evaluationContext.functions, "i");
  const around = innermostFunctions(
    file.root,
    found.map((c) => c.node),
    functionTypes,
  );
  for (const c of found) {
    const p = findPattern(patterns, c.name)!;
    llmCalls.add(c.node.id);
    const fn = around.get(c.node.id)?.childForFieldName("name")?.text;
    const evaluation = fn !== undefined && judging.test(fn) ? { evaluation: true } : {};
    file.out.evidence.push({ fact: "isLLM", ...at(c.node), what: `calls ${c.name}`, ...evaluation });
    file.out.evidence.push({ fact: "isGenAI", ...at(c.node), what: `calls ${c.name}`, ...evaluation });
    if (p.hosted) file.out.evidence.push({ fact: "modelHostedExternally", ...at(c.node), what: `calls the hosted API ${c.name}`, ...evaluation });
  }
}

/**
 * Calls that train or fine-tune a model (with a training library imported, and what `trains` asks
 * more of a call), and retrieval calls, of the language `lang`.
 */
export function usageEvidence(
  file: { out: FileAnalysis },
  calls: readonly { node: Node; name: string }[],
  lang: "python" | "js",
  importsAny: (modules: string[]) => boolean,
  trains: (name: string) => boolean = () => true,
): void {
  const E = codePatterns().evidence;
  for (const c of calls) {
    if (anyName(E.trainsOrFinetunes[lang], c.name) && importsAny(E.trainsOrFinetunes.needsImport) && trains(c.name))
      file.out.evidence.push({ fact: "trainsOrFinetunes", ...at(c.node), what: `calls ${c.name}` });
    if (anyName(E.usesRAG[lang], c.name)) file.out.evidence.push({ fact: "usesRAG", ...at(c.node), what: `calls ${c.name}` });
  }
}

/** Each tool found (the languages' tools.ts) gives the model agency. */
export function agencyEvidence(file: { out: FileAnalysis }): void {
  for (const t of file.out.tools)
    file.out.evidence.push({ fact: "hasAgency", row: t.row, column: t.column, what: `gives the model the tool "${t.name}" (${t.framework})` });
}
