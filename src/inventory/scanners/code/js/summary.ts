// What the file's data flow tells other files (../summary.ts): the calls of functions other files
// define, in the symbolic pass the functions worth reading with their parameters as symbols, the
// tainted values handed to other files' functions, and at the end what the file's functions
// return and which of their parameters reach a sink.
import type { Node } from "web-tree-sitter";
import { addCallers, summariseReturns, taintRef } from "../flow-taint.js";
import { addParamSink, addUse } from "../summary.js";
import { carryParamSinks, functionsWithSinks } from "./flow-steps.js";
import type { JsCall } from "./names.js";
import type { FlowPass, JsCrossFile } from "./pass.js";
import { htmlSinks } from "./sinks.js";
import { innermostFunctions } from "../tree-walk.js";
import { FUNCTION_TYPES } from "./functions.js";

/** A module specifier of the repository's own files: relative, or the `@/` root alias. */
const OWN_MODULE = /^(\.{1,2}\/|@\/)/;

/** Calls of functions the repository's other files define (not the file's own, not a model). */
export function findCrossCallees(p: FlowPass): void {
  for (const c of p.file.names.calls) {
    if (p.file.fns.calleeOf.has(c.node.id) || p.inputs.llmCalls.has(c.node.id) || c.node.type === "new_expression") continue;
    if (OWN_MODULE.test(c.name)) p.crossCallee.set(c.node.id, c.name);
  }
}

/**
 * Symbolic pass: only functions that reach a sink or another file's function (themselves or
 * through the file's own functions) say anything about their parameters, which become symbols.
 * False when the file has neither: the pass has nothing to read.
 */
export function seedSymbols(p: FlowPass): boolean {
  const { file } = p;
  const matters = functionsWithSinks(file.names.calls, p.F.sinks, p.crossCallee, file.fns.around);
  const html = htmlSinks(p);
  if (html.length) for (const fn of innermostFunctions(file.root, html, [...FUNCTION_TYPES]).values()) if (fn) matters.add(fn.id);
  if (!matters.size && !p.crossCallee.size) return false;
  addCallers(matters, file.fns.calleeOf, file.fns.around);
  p.queue.scope = matters;
  for (const fn of file.fns.list) {
    const key = file.fns.keys.get(fn.id);
    if (key && matters.has(fn.id)) file.fns.paramsOf(fn).forEach((param, i) => p.seed(fn, param.name, { kind: "param", what: param.name, source: key, index: i, row: param.node.startPosition.row }));
  }
  return true;
}

/** Tainted arguments of a call of another file's function: a use (plain pass), or a parameter or result handed on (symbolic). */
export function crossUses(p: FlowPass, cross: JsCrossFile, node: Node, c: JsCall, elsewhere: string): void {
  const line = node.startPosition.row + 1;
  const column = node.startPosition.column + 1;
  c.args.forEach((a, k) => {
    const t = p.mentions(a);
    if (!t) return;
    if (!cross.symbolic && (t.kind === "model" || t.kind === "input" || t.kind === "tool")) addUse(cross.summary, { callee: elsewhere, arg: k, taint: taintRef(t), line, column });
    else if (cross.symbolic && t.kind === "param") addParamSink(cross.summary, t.source, { index: t.index ?? 0, name: t.what, line, column, via: { callee: elsewhere, arg: k } });
    else if (cross.symbolic && t.kind === "import" && t.source !== elsewhere) addUse(cross.summary, { callee: elsewhere, arg: k, taint: taintRef(t), line, column });
  });
}

export function summarise(p: FlowPass, cross: JsCrossFile): void {
  summariseReturns(cross.summary, cross.symbolic, p.file.fns.list, p.file.fns.keys, p.returns);
  if (cross.symbolic) carryParamSinks(cross.summary, p.handedOn, p.file.fns.keys);
}
