// What the file shows about the system, as evidence for its facts: calls of a model (hosted or
// not, and whether only to judge the system's output), training and retrieval calls, and tools
// given to a model.
import { codePatterns, findPattern, anyName } from "../patterns.js";
import { innermostFunctions } from "../tree-walk.js";
import type { JsFile } from "./context.js";
import { at } from "../places.js";

/** Records the calls of a model; returns their node ids (the data flow's model answers). */
export function modelCalls(file: JsFile): Set<number> {
  const P = codePatterns();
  const llmCalls = new Set<number>();
  const llmFound = file.names.calls.filter((c) => c.node.type !== "new_expression" && findPattern(P.llmCalls.js, c.name));
  // A call in a function that only judges or grades the system's output is not the system's model.
  const judging = new RegExp(P.evaluationContext.functions, "i");
  const around = innermostFunctions(file.root, llmFound.map((c) => c.node), ["function_declaration", "method_definition"]);
  for (const c of llmFound) {
    const p = findPattern(P.llmCalls.js, c.name)!;
    llmCalls.add(c.node.id);
    const fn = around.get(c.node.id)?.childForFieldName("name")?.text;
    const evaluation = fn !== undefined && judging.test(fn) ? { evaluation: true } : {};
    file.out.evidence.push({ fact: "isLLM", ...at(c.node), what: `calls ${c.name}`, ...evaluation });
    file.out.evidence.push({ fact: "isGenAI", ...at(c.node), what: `calls ${c.name}`, ...evaluation });
    if (p.hosted) file.out.evidence.push({ fact: "modelHostedExternally", ...at(c.node), what: `calls the hosted API ${c.name}`, ...evaluation });
  }
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

/** The tools found (tools.ts) give the model agency. */
export function agencyEvidence(file: JsFile): void {
  for (const t of file.out.tools) file.out.evidence.push({ fact: "hasAgency", row: t.row, column: t.column, what: `gives the model the tool "${t.name}" (${t.framework})` });
}
