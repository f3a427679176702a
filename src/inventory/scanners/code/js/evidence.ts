// What the file shows about the system, as evidence for its facts: calls of a model (hosted or
// not, and whether only to judge the system's output; recorded by ../evidence.ts), and training
// and retrieval calls.
import { modelCallEvidence } from "../evidence.js";
import { anyName, codePatterns, findPattern } from "../patterns.js";
import { at } from "../places.js";
import type { JsFile } from "./context.js";

/** Records the calls of a model; returns their node ids (the data flow's model answers). */
export function modelCalls(file: JsFile): Set<number> {
  const patterns = codePatterns().llmCalls.js;
  const llmCalls = new Set<number>();
  const found = file.names.calls.filter((c) => c.node.type !== "new_expression" && findPattern(patterns, c.name));
  modelCallEvidence(file, found, patterns, ["function_declaration", "method_definition"], llmCalls);
  return llmCalls;
}

/** Calls that train or fine-tune a model (with a training library imported), and retrieval calls. */
export function usageEvidence(file: JsFile): void {
  const E = codePatterns().evidence;
  for (const c of file.names.calls) {
    if (anyName(E.trainsOrFinetunes.js, c.name) && file.names.importsAny(E.trainsOrFinetunes.needsImport)) file.out.evidence.push({ fact: "trainsOrFinetunes", ...at(c.node), what: `calls ${c.name}` });
    if (anyName(E.usesRAG.js, c.name)) file.out.evidence.push({ fact: "usesRAG", ...at(c.node), what: `calls ${c.name}` });
  }
}
