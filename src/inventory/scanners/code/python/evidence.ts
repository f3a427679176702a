// The profile facts a Python file is evidence of: it calls a model (recorded by ../evidence.ts),
// trains or fine-tunes, or retrieves documents (usesRAG).
import { modelCallEvidence } from "../evidence.js";
import { anyName, codePatterns, findPattern } from "../patterns.js";
import { at } from "../places.js";
import type { PyFile } from "./context.js";

/** `.fit` on an unknown object counts as training only in a file that imports one of these. */
const FIT_LIBRARIES = ["sklearn", "keras", "tensorflow", "xgboost", "lightgbm"];

/** Finds the model calls (file.llmCalls) and records what each is evidence of. */
export function modelCalls(file: PyFile): void {
  const patterns = codePatterns().llmCalls.python;
  const found = file.calls.filter((c) => findPattern(patterns, c.name));
  modelCallEvidence(file, found, patterns, ["function_definition"], file.llmCalls);
}

/** Training and retrieval calls. */
export function usageEvidence(file: PyFile): void {
  const ev = codePatterns().evidence;
  const { importsAny } = file.names;
  for (const c of file.calls) {
    if (anyName(ev.trainsOrFinetunes.python, c.name) && importsAny(ev.trainsOrFinetunes.needsImport) && (!c.name.endsWith(".fit") || !c.name.startsWith("?") || importsAny(FIT_LIBRARIES)))
      file.out.evidence.push({ fact: "trainsOrFinetunes", ...at(c.node), what: `calls ${c.name}` });
    if (anyName(ev.usesRAG.python, c.name)) file.out.evidence.push({ fact: "usesRAG", ...at(c.node), what: `calls ${c.name}` });
  }
}
