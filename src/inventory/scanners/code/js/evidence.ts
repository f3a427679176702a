// What the file shows about the system, as evidence for its facts (recorded by ../evidence.ts):
// calls of a model (hosted or not, and whether only to judge the system's output), and training
// and retrieval calls.
import { modelCallEvidence, usageEvidence as recordUsage } from "../evidence.js";
import { codePatterns, findPattern } from "../patterns.js";
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
  recordUsage(file, file.names.calls, "js", (m) => file.names.importsAny(m));
}
