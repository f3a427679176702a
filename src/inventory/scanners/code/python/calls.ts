// What one call does with taint in the scope being read, in this order: a container filled with a
// tainted value becomes tainted (`parts.append(answer)`); taint goes into the parameters of the
// file's own functions (which are then read again) and, for functions of other files, into the
// summary (cross.ts); a callable the model picked runs (sinks.ts); the call is a model call
// (model-calls.ts) or else a retrieval write or a sink (sinks.ts).
import type { Node } from "web-tree-sitter";
import { handOn, intoOtherFile } from "./cross.js";
import type { Flow } from "./flow-state.js";
import { realParams } from "./functions.js";
import { modelCallFindings } from "./model-calls.js";
import type { PyCall } from "./names.js";
import { dynamicDispatch, retrievalWrite, sinkCall } from "./sinks.js";
import { setTaint } from "./taint.js";

export function onCall(flow: Flow, node: Node, scopeFn: Node | undefined): void {
  const c = flow.file.callById.get(node.id);
  if (!c) return;
  const fnNode = node.childForFieldName("function");
  intoContainer(flow, c, fnNode, scopeFn);
  const callee = flow.fns.calleeOf.get(node.id);
  if (callee) intoOwnFunction(flow, c, callee);
  const elsewhere = flow.crossCallee.get(node.id);
  if (flow.cross && elsewhere) intoOtherFile(flow, flow.cross, c, elsewhere);
  if (fnNode) dynamicDispatch(flow, node, fnNode, scopeFn);
  if (flow.file.llmCalls.has(node.id)) {
    modelCallFindings(flow, c, fnNode);
    return;
  }
  retrievalWrite(flow, c);
  sinkCall(flow, c);
}

/** Containers filled with tainted values: `parts.append(answer)`, `seen.add(x)`, `d.update(...)`. */
function intoContainer(flow: Flow, c: PyCall, fnNode: Node | null, scopeFn: Node | undefined): void {
  if (fnNode?.type !== "attribute" || !/^(append|extend|insert|add|update|appendleft|put)$/.test(fnNode.childForFieldName("attribute")?.text ?? "")) return;
  const t = [...c.positional, ...c.kwargs.values()].map((a) => flow.taint.mentions(a)).find(Boolean);
  const obj = fnNode.childForFieldName("object");
  if (t && obj && (obj.type === "identifier" || obj.type === "attribute")) setTaint(flow, obj, t, scopeFn);
}

/** Into the file's own functions, through their parameters: a parameter newly seeded queues the function. */
function intoOwnFunction(flow: Flow, c: PyCall, callee: Node): void {
  const { taint, seeds, work } = flow;
  const ps = realParams(flow.fns, callee);
  c.positional.forEach((a, i) => {
    const t = a.type === "list_splat" || a.type === "dictionary_splat" ? undefined : taint.mentions(a);
    if (t && ps[i] && seeds.seed(callee, ps[i]!.name, t)) work.enqueue(callee);
  });
  for (const [k, v] of c.kwargs) {
    const t = taint.mentions(v);
    if (t && ps.some((p) => p.name === k) && seeds.seed(callee, k, t)) work.enqueue(callee);
  }
  if (flow.cross?.symbolic) handOn(flow, c, callee);
}
