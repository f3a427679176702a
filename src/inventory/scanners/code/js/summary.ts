// What the file's data flow tells other files (../summary.ts): the calls of functions other files
// define, in the symbolic pass the functions worth reading with their parameters as symbols, the
// tainted values handed to other files' functions, and at the end what the file's functions
// return and which of their parameters reach a sink.
import type { Node } from "web-tree-sitter";
import { carryParamSinks, crossUse, functionsWithSinks, seedSymbolicScope, type CrossFile } from "../flow-steps.js";
import { summariseReturns } from "../flow-taint.js";
import { innermostFunctions } from "../tree-walk.js";
import { FUNCTION_TYPES } from "./functions.js";
import type { JsCall } from "./names.js";
import type { FlowPass } from "./pass.js";
import { htmlSinks } from "./sinks.js";

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
  p.queue.scope = seedSymbolicScope(matters, p.crossCallee.size, file.fns, p.seeds);
  return !!p.queue.scope;
}

/** Tainted arguments of a call of another file's function: a use (plain pass), or a parameter or result handed on (symbolic). */
export function crossUses(p: FlowPass, cross: CrossFile, node: Node, c: JsCall, elsewhere: string): void {
  c.args.forEach((a, k) => {
    const t = p.mentions(a);
    if (t) crossUse(cross, node, elsewhere, k, t);
  });
}

export function summarise(p: FlowPass, cross: CrossFile): void {
  summariseReturns(cross.summary, cross.symbolic, p.file.fns.list, p.file.fns.keys, p.returns);
  if (cross.symbolic) carryParamSinks(cross.summary, p.handedOn, p.file.fns);
}
