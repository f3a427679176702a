// The profile facts a Python file is evidence of: it calls a model (isLLM and isGenAI, and
// modelHostedExternally for a hosted API; marked as evaluation when the call sits in a function
// that only judges or grades the system's output), trains or fine-tunes, retrieves documents
// (usesRAG), or gives a model tools (hasAgency).
import { anyName, codePatterns, findPattern } from "../patterns.js";
import { innermostFunctions } from "../tree-walk.js";
import type { PyFile } from "./context.js";
import { at } from "../places.js";

/** `.fit` on an unknown object counts as training only in a file that imports one of these. */
const FIT_LIBRARIES = ["sklearn", "keras", "tensorflow", "xgboost", "lightgbm"];

/** Finds the model calls (file.llmCalls) and records what each is evidence of. */
export function modelCalls(file: PyFile): void {
  const P = codePatterns();
  const found = file.calls.filter((c) => findPattern(P.llmCalls.python, c.name));
  // A call in a function that only judges or grades the system's output is not the system's model.
  const judging = new RegExp(P.evaluationContext.functions, "i");
  const around = innermostFunctions(file.root, found.map((c) => c.node), ["function_definition"]);
  for (const c of found) {
    const p = findPattern(P.llmCalls.python, c.name)!;
    file.llmCalls.add(c.node.id);
    const fn = around.get(c.node.id)?.childForFieldName("name")?.text;
    const evaluation = fn !== undefined && judging.test(fn) ? { evaluation: true } : {};
    file.out.evidence.push({ fact: "isLLM", ...at(c.node), what: `calls ${c.name}`, ...evaluation });
    file.out.evidence.push({ fact: "isGenAI", ...at(c.node), what: `calls ${c.name}`, ...evaluation });
    if (p.hosted) file.out.evidence.push({ fact: "modelHostedExternally", ...at(c.node), what: `calls the hosted API ${c.name}`, ...evaluation });
  }
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

/** Each tool found (tools.ts) is evidence of agency. */
export function agencyEvidence(file: PyFile): void {
  for (const t of file.out.tools) file.out.evidence.push({ fact: "hasAgency", row: t.row, column: t.column, what: `gives the model the tool "${t.name}" (${t.framework})` });
}
