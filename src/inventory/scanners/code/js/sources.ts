// Where taint starts in an expression, and what stops it: model answers (calls of a model), the
// results of the file's functions that return taint, of other files' functions (summary pass) and
// names tainted in the scope; below a sanitiser's call nothing counts. Also the arguments the model
// chooses for the file's tools, which taint those functions' parameters.
import type { Node } from "web-tree-sitter";
import { crossResult } from "../flow-steps.js";
import { modelAnswer, toolArgument, type Taint } from "../flow-taint.js";
import { anyName } from "../patterns.js";
import type { JsFile } from "./context.js";
import type { JsFlowData } from "./flow.js";
import type { FlowPass } from "./pass.js";

/** The calls that neutralise what they are given (DOMPurify.sanitize, ...). */
export function sanitizerCalls(file: JsFile, F: JsFlowData): Set<number> {
  return new Set(file.names.calls.filter((c) => anyName(F.sanitizers, c.name)).map((c) => c.node.id));
}

/** The taint a node starts; null below a sanitiser; undefined: look below it. */
export function sourceAt(p: FlowPass, n: Node): Taint | null | undefined {
  if (p.sanitizers.has(n.id)) return null;
  if (p.inputs.llmCalls.has(n.id)) return modelAnswer(n, p.file.names.callAt.get(n.id)!.name);
  // The type read once: each read of a node's type is a call into the parser's memory.
  const type = n.type;
  if (type === "call_expression") {
    const callee = p.file.fns.calleeOf.get(n.id);
    const r = callee ? p.returns.get(callee.id) : undefined;
    if (r) return r;
    const elsewhere = p.cross?.symbolic ? p.crossCallee.get(n.id) : undefined;
    if (elsewhere) return crossResult(p.crossTaint, n, elsewhere);
  }
  if (type === "identifier" || type === "member_expression" || type === "shorthand_property_identifier") return p.taintOf(n);
  return undefined;
}

/** The parameters of a tool's function hold what the model chooses. */
export function seedToolArguments(p: FlowPass): void {
  for (const [id, tool] of p.inputs.toolFunctions) {
    const fn = p.file.fns.byId.get(id);
    if (!fn) continue;
    for (const param of p.file.fns.paramsOf(fn)) p.seeds.seed(fn, param.name, toolArgument(tool, param));
  }
}
