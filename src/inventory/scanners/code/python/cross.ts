// The Python data flow and the repository's other files (summary.ts): which calls go to functions
// defined elsewhere (imported names, methods a class inherits through super(), self or cls), the
// file's top-level classes with their bases, the tainted arguments such calls get, what the file's
// functions return, and for the symbolic pass its scope (the functions that can reach a sink or
// another file), its parameter seeds and the parameters that reach a sink, also through the file's
// own functions they are handed on to.
import type { Node } from "web-tree-sitter";
import { addCallers, summariseReturns, taintRef } from "../flow-taint.js";
import { anyName } from "../patterns.js";
import { addParamSink, addUse, functionOf, setBases, type FlowSummary } from "../summary.js";
import type { PyFile } from "./context.js";
import type { Flow } from "./flow-state.js";
import { realParams, type OwnFunctions } from "./functions.js";
import type { PyCall } from "./names.js";

/**
 * What the file tells other files (summary.ts). The plain pass records the tainted arguments of
 * calls of functions defined elsewhere and what the file's functions return; the `symbolic` pass
 * (run on its own, its hits thrown away) treats each parameter and each such call's result as a
 * source of its own, to record which parameters reach sinks and which sinks results reach.
 */
export interface PyCrossFile {
  summary: FlowSummary;
  symbolic: boolean;
}

/** Symbolic pass: a parameter of a file function handed to another file function. */
export interface HandedOn {
  /** The caller's key and the parameter's position and name. */
  caller: string;
  index: number;
  name: string;
  callee: Node;
  /** Position or keyword of the argument the callee receives it as. */
  arg: number | string;
}

/** Plain pass: the top-level classes and the bases they name (at most 200 classes, 4 bases each). */
export function recordClasses(file: PyFile, fns: OwnFunctions, summary: FlowSummary): void {
  const classById = new Map(fns.classes.map((c) => [c.id, c] as const));
  for (const [id, name] of fns.topClasses) {
    const bases = (classById.get(id)?.childForFieldName("superclasses")?.namedChildren ?? []).filter((b): b is Node => !!b && (b.type === "identifier" || b.type === "attribute")).map((b) => file.names.qname(b)).slice(0, 4);
    if (bases.length && Object.keys(summary.classes).length < 200) setBases(summary, name, bases);
  }
}

/** Calls of functions defined in other files: imported names, and methods a top-level class with bases inherits (`~Class.method`). */
export function crossCallees(file: PyFile, fns: OwnFunctions): Map<number, string> {
  const out = new Map<number, string>();
  const withBases = new Set<number>();
  for (const cls of fns.classes) if (fns.topClasses.has(cls.id) && cls.childForFieldName("superclasses")?.namedChildren.some((b) => b?.type === "identifier" || b?.type === "attribute")) withBases.add(cls.id);
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

/**
 * Symbolic pass: only functions that reach a sink or another file's function (themselves or
 * through the file's own functions) can say anything about their parameters; each parameter of
 * those is seeded as itself. Undefined for a file with neither: it has nothing to say.
 */
export function symbolicScope(flow: Flow): Set<number> | undefined {
  const { file, fns } = flow;
  const matters = new Set<number>();
  for (const c of file.calls) {
    if (!flow.crossCallee.has(c.node.id) && !flow.sinks.some((s) => anyName([s.pattern], c.name))) continue;
    const fn = fns.around.get(c.node.id);
    if (fn) matters.add(fn.id);
  }
  if (!matters.size && !flow.crossCallee.size) return undefined;
  addCallers(matters, fns.calleeOf, fns.around);
  for (const fn of fns.all) {
    const key = fns.key.get(fn.id);
    if (key && matters.has(fn.id)) realParams(fns, fn).forEach((p, i) => flow.seeds.seed(fn, p.name, { kind: "param", what: p.name, source: key, index: i, row: p.node.startPosition.row }));
  }
  return matters;
}

/** Into functions defined in other files: what the summary tells them of the call's tainted arguments. */
export function intoOtherFile(flow: Flow, cross: PyCrossFile, c: PyCall, elsewhere: string): void {
  const line = c.node.startPosition.row + 1;
  const column = c.node.startPosition.column + 1;
  for (const [k, a] of argsOf(c)) {
    if (a.type === "list_splat" || a.type === "dictionary_splat") continue;
    const t = flow.taint.mentions(a);
    if (!t) continue;
    if (!cross.symbolic && (t.kind === "model" || t.kind === "input" || t.kind === "tool")) addUse(cross.summary, { callee: elsewhere, arg: k, taint: taintRef(t), line, column });
    else if (cross.symbolic && t.kind === "param") addParamSink(cross.summary, t.source, { index: t.index ?? 0, name: t.what, line, column, via: { callee: elsewhere, arg: k } });
    else if (cross.symbolic && t.kind === "import" && t.source !== elsewhere) addUse(cross.summary, { callee: elsewhere, arg: k, taint: taintRef(t), line, column });
  }
}

/** Symbolic pass: parameters handed to a file function (recorded up to 1000 calls). */
export function handOn(flow: Flow, c: PyCall, callee: Node): void {
  if (flow.handedOn.length >= 1000) return;
  for (const [k, a] of argsOf(c)) {
    const t = flow.taint.mentions(a);
    if (t?.kind === "param") flow.handedOn.push({ caller: t.source, index: t.index ?? 0, name: t.what, callee, arg: k });
  }
}

const argsOf = (c: PyCall): [number | string, Node][] => [...c.positional.map((a, i) => [i, a] as [number, Node]), ...c.kwargs];

/** After the pass: what the file's functions return; symbolic, the parameters that reach a sink through a file function they are handed to. */
export function summarise(flow: Flow, cross: PyCrossFile): void {
  const { fns } = flow;
  summariseReturns(cross.summary, cross.symbolic, fns.all, fns.key, flow.returns);
  if (!cross.symbolic) return;
  for (let round = 0; round < 3; round++) {
    let added = false;
    for (const h of flow.handedOn) {
      const calleeKey = fns.key.get(h.callee.id);
      if (!calleeKey) continue;
      const ps = realParams(fns, h.callee);
      const target = typeof h.arg === "number" ? h.arg : ps.findIndex((p) => p.name === h.arg);
      for (const ps2 of functionOf(cross.summary, calleeKey)?.sinks ?? []) {
        if (ps2.index !== target) continue;
        const before = functionOf(cross.summary, h.caller)?.sinks?.length ?? 0;
        addParamSink(cross.summary, h.caller, { ...ps2, index: h.index, name: h.name });
        if ((functionOf(cross.summary, h.caller)?.sinks?.length ?? 0) > before) added = true;
      }
    }
    if (!added) break;
  }
}
