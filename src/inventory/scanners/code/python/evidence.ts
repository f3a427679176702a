// The profile facts a Python file is evidence of: it calls a model (recorded by ../evidence.ts),
// trains or fine-tunes, or retrieves documents (usesRAG).
import { modelCallEvidence, usageEvidence as recordUsage } from "../evidence.js";
import { codePatterns, findPattern } from "../patterns.js";
import type { PyFile } from "./context.js";

/** `.fit` on an unknown object counts as training only in a file that imports one of these. */
const FIT_LIBRARIES = ["sklearn", "keras", "tensorflow", "xgboost", "lightgbm"];

/** Finds the model calls (file.llmCalls) and records what each is evidence of. */
export function modelCalls(file: PyFile): void {
  const patterns = codePatterns().llmCalls.python;
  const found = file.calls.filter((c) => findPattern(patterns, c.name));
  modelCallEvidence(file, found, patterns, ["function_definition"], file.llmCalls);
}

/** Training and retrieval calls: `.fit` on an unknown object only with a library that has one imported. */
export function usageEvidence(file: PyFile): void {
  const { importsAny } = file.names;
  recordUsage(file, file.calls, "python", importsAny, (name) => !name.endsWith(".fit") || !name.startsWith("?") || importsAny(FIT_LIBRARIES));
}
