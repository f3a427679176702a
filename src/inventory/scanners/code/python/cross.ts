// The Python data flow and the repository's other files (summary.ts): which calls go to functions
// defined elsewhere (imported names, methods a class inherits through super(), self or cls), the
// file's top-level classes with their bases, the tainted arguments such calls get, what the file's
// functions return, and for the symbolic pass its scope (the functions that can reach a sink or
// another file), its parameter seeds and the parameters that reach a sink, also through the file's
// own functions they are handed on to.
import type { Node } from "web-tree-sitter";
import { carryParamSinks, crossUse, functionsWithSinks, noteHandedOn, seedSymbolicScope, type CrossFile, type SummaryFunctions } from "../flow-steps.js";
import { summariseReturns } from "../flow-taint.js";
import { setBases, type FlowSummary } from "../summary.js";
import type { PyFile } from "./context.js";
import type { Flow } from "./flow-state.js";
import { realParams, type OwnFunctions } from "./functions.js";
import type { PyCall } from "./names.js";

/** Plain pass: the top-level classes and the bases they name (at most 200 classes, 4 bases each). */
export function recordClasses(file: PyFile, fns: OwnFunctions, summary: FlowSummary): void {
  const classById = new Map(fns.classes.map((c) => [c.id, c] as const));
  for (const [id, name] of fns.topClasses) {
    const bases = (classById.get(id)?.childForFieldName("superclasses")?.namedChildren ?? [])
      .filter((b): b is Node => !!b && (b.type === "identifier" || b.type === "attribute"))
      .map((b) => file.names.qname(b))
      .slice(0, 4);
    if (bases.length && Object.keys(summary.classes).length < 200) setBases(summary, name, bases);
  }
}

/** Calls of functions defined in other files: imported names, and methods a top-level class with bases inherits (`~Class.method`). */
export function crossCallees(file: PyFile, fns: OwnFunctions): Map<number, string> {
  const out = new Map<number, string>();
  const withBases = new Set<number>();
  for (const cls of fns.classes)
    if (fns.topClasses.has(cls.id) && cls.childForFieldName("superclasses")?.namedChildren.some((b) => b?.type === "identifier" || b?.type === "attribute"))
      withBases.add(cls.id);
  for (const c of file.calls) {
    if (fns.calleeOf.has(c.node.id) || file.llmCalls.has(c.node.id)) continue;
    const fnNode = c.node.childForFieldName("function");
    const obj = fnNode?.type === "attribute" ? fnNode.childForFieldName("object") : undefined;
    const inherited = obj && (obj.text === "super()" || obj.text === "self" || obj.text === "cls");
    if (inherited) {
      const here = fns.around.get(c.node.id);
      const cls = here ? fns.classOf.get(here.id) : undefined;
      if (cls && withBases.has(cls.id)) out.set(c.node.id, `~${fns.topClasses.get(cls.id)}.${fnNode!.childForFieldName("attribute")?.text ?? "?"}`);
    } else if (file.names.elsewhere(c.name)) out.set(c.node.id, c.name);
  }
  return out;
}

/** The file's functions as the summary pass reads them (../flow-steps.ts). */
const summaryFunctions = (fns: OwnFunctions): SummaryFunctions => ({
  list: fns.all,
  keys: fns.key,
  calleeOf: fns.calleeOf,
  around: fns.around,
  paramsOf: (fn) => realParams(fns, fn),
});

/**
 * Symbolic pass: only functions that reach a sink or another file's function (themselves or
 * through the file's own functions) can say anything about their parameters; each parameter of
 * those is seeded as itself. Undefined for a file with neither: it has nothing to say.
 */
export function symbolicScope(flow: Flow): Set<number> | undefined {
  const matters = functionsWithSinks(flow.file.calls, flow.sinks, flow.crossCallee, flow.fns.around);
  return seedSymbolicScope(matters, flow.crossCallee.size, summaryFunctions(flow.fns), flow.seeds);
}

/** Into functions defined in other files: what the summary tells them of the call's tainted arguments. */
export function intoOtherFile(flow: Flow, cross: CrossFile, c: PyCall, elsewhere: string): void {
  for (const [k, a] of argsOf(c)) {
    if (a.type === "list_splat" || a.type === "dictionary_splat") continue;
    const t = flow.taint.mentions(a);
    if (t) crossUse(cross, c.node, elsewhere, k, t);
  }
}

/** Symbolic pass: parameters handed to a file function (recorded up to 1000 calls). */
export function handOn(flow: Flow, c: PyCall, callee: Node): void {
  if (flow.handedOn.length >= 1000) return;
  for (const [k, a] of argsOf(c)) noteHandedOn(flow.handedOn, flow.taint.mentions(a), callee, k);
}

const argsOf = (c: PyCall): [number | string, Node][] => [...c.positional.map((a, i) => [i, a] as [number, Node]), ...c.kwargs];

/** After the pass: what the file's functions return; symbolic, the parameters that reach a sink through a file function they are handed to. */
export function summarise(flow: Flow, cross: CrossFile): void {
  const { fns } = flow;
  summariseReturns(cross.summary, cross.symbolic, fns.all, fns.key, flow.returns);
  if (cross.symbolic) carryParamSinks(cross.summary, flow.handedOn, summaryFunctions(fns));
}
