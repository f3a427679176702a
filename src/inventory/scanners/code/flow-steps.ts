// Steps of the data flow that know nothing of the language, used by the Python and the JS/TS
// analyses alike: the taint seeded into functions' parameters, the queue of scopes to read again,
// the taint search with its answers cached per node, reporting a hit once, and the summary pass's
// steps (which functions it reads with their parameters as symbols, the results of other files'
// functions, tainted arguments handed to them, parameter sinks carried back up the call chain).
import type { Node } from "web-tree-sitter";
import { addCallers, taintRef, type Taint } from "./flow-taint.js";
import { emptyAnalysis, type FileAnalysis, type Hit } from "./model.js";
import { anyPattern } from "./patterns.js";
import { addParamSink, addUse, emptySummary, functionOf, type FlowSummary } from "./summary.js";
import { SubtreeSearch, searchBudget } from "./tree-walk.js";

/** How often one scope is read at the most: taint arriving later than that is not followed. */
export const MAX_VISITS = 6;

/**
 * What the file tells other files (summary.ts). The plain pass records the tainted arguments of
 * calls of functions defined elsewhere and what the file's functions return; the `symbolic` pass
 * (run on its own, its hits thrown away) treats each parameter and each such call's result as a
 * source of its own, to record which parameters reach sinks and which sinks results reach.
 */
export interface CrossFile {
  summary: FlowSummary;
  symbolic: boolean;
}

/**
 * The file's data flow into `out` (`pass`: one reading of it); with `summarise`, also what other
 * files need to know (out.summary), from the plain pass and a symbolic one whose hits are dropped.
 */
export function flowWithSummary(
  lang: FlowSummary["lang"],
  out: FileAnalysis,
  summarise: boolean | undefined,
  pass: (out: FileAnalysis, cross?: CrossFile) => void,
): void {
  if (!summarise) {
    pass(out);
    return;
  }
  const summary = emptySummary(lang);
  pass(out, { summary, symbolic: false });
  try {
    pass(emptyAnalysis(), { summary, symbolic: true });
  } catch {
    // The summary pass ran out of budget: other files learn only what the plain pass found.
  }
  out.summary = summary;
}

/** A parameter of a file function, as both languages list them. */
export interface Param {
  name: string;
  node: Node;
}

/** What flows into each function's parameters from outside it: its callers, the request, the model. */
export class Seeds {
  private readonly byFn = new Map<number, Map<string, Taint>>();

  /** Seeds a parameter; false when it already has a seed (the first one stays). */
  seed(fn: Node, name: string, t: Taint): boolean {
    let m = this.byFn.get(fn.id);
    if (!m) this.byFn.set(fn.id, (m = new Map()));
    if (m.has(name)) return false;
    m.set(name, t);
    return true;
  }

  has(fn: Node): boolean {
    return this.byFn.has(fn.id);
  }

  of(fn: Node): Iterable<[string, Taint]> {
    return this.byFn.get(fn.id) ?? [];
  }
}

/**
 * The functions to read, in the order taint reaches them, each at most MAX_VISITS times; the module
 * is read again when taint it reads changes in a function. With `scope` (the summary pass) only
 * those functions are read.
 */
export class Worklist {
  scope: Set<number> | undefined;
  private moduleDirty = false;
  private readonly visits = new Map<number, number>();
  private readonly queue: Node[] = [];
  private readonly queued = new Set<number>();

  enqueue(fn: Node): void {
    if (this.scope && !this.scope.has(fn.id)) return;
    if (this.queued.has(fn.id) || (this.visits.get(fn.id) ?? 0) >= MAX_VISITS) return;
    this.queued.add(fn.id);
    this.queue.push(fn);
  }

  /** The module is to be read again. */
  enqueueModule(): void {
    this.moduleDirty = true;
  }

  /** A caller to read again; undefined is the module. */
  enqueueCaller(caller: Node | undefined): void {
    if (caller) this.enqueue(caller);
    else this.moduleDirty = true;
  }

  /** Reads what is queued until nothing is, within MAX_VISITS a scope and 50 rounds a function. */
  drain(root: Node, functionCount: number, read: (scope: Node | undefined) => void): void {
    let rounds = 0;
    while (this.queue.length || this.moduleDirty) {
      if (++rounds > 50 * (functionCount + 2)) break;
      const fn = this.queue.shift();
      if (fn) {
        this.queued.delete(fn.id);
        this.visits.set(fn.id, (this.visits.get(fn.id) ?? 0) + 1);
        read(fn);
      } else {
        this.moduleDirty = false;
        if ((this.visits.get(root.id) ?? 0) >= MAX_VISITS) break;
        this.visits.set(root.id, (this.visits.get(root.id) ?? 0) + 1);
        read(undefined);
      }
    }
  }
}

/**
 * "What taint does this expression carry?": a SubtreeSearch over a source test, within twice the
 * file's search budget. SubtreeSearch caches strings: taints are kept in a table, named by index.
 */
export class TaintSearch {
  private readonly table: Taint[] = [];
  private readonly index = new Map<Taint, string>();
  private readonly search: SubtreeSearch;

  /** `source`: the taint a node starts, null below a sanitiser, undefined to look below it. */
  constructor(root: Node, source: (n: Node) => Taint | null | undefined) {
    this.search = new SubtreeSearch(
      (n) => {
        const t = source(n);
        return t ? this.encode(t) : t;
      },
      2 * searchBudget(root),
    );
  }

  /** The taint a subtree mentions (the first in pre-order), if any. */
  find(n: Node | null | undefined): Taint | undefined {
    const k = this.search.find(n);
    return k === undefined ? undefined : this.table[Number(k)];
  }

  /** Forgets the cached answers: what is tainted changed. */
  invalidate(): void {
    this.search.invalidate();
  }

  private encode(t: Taint): string {
    let k = this.index.get(t);
    if (k === undefined) {
      k = String(this.table.length);
      this.table.push(t);
      this.index.set(t, k);
    }
    return k;
  }
}

/** Adds hits to `hits`, each (kind, place, key) once. */
export function reporter(hits: Hit[]): (h: Hit) => void {
  const reported = new Set<string>();
  return (h) => {
    const k = `${h.kind}|${h.row}|${h.column}|${h.key}`;
    if (reported.has(k)) return;
    reported.add(k);
    hits.push(h);
  };
}

/** The file's functions as the summary pass reads them. */
export interface SummaryFunctions {
  /** Every function node, in source order. */
  list: readonly Node[];
  /** The name other files know a function by. */
  keys: ReadonlyMap<number, string>;
  /** The file function each call calls, and the function around each call (undefined: the module). */
  calleeOf: ReadonlyMap<number, Node>;
  around: ReadonlyMap<number, Node | undefined>;
  /** The parameters a caller's arguments fill, in order. */
  paramsOf(fn: Node): Param[];
}

/** Summary pass: the functions holding a sink call or a call of another file's function. */
export function functionsWithSinks(
  calls: readonly { node: Node; name: string }[],
  sinks: readonly { pattern: string }[],
  crossCallee: ReadonlyMap<number, string>,
  around: ReadonlyMap<number, Node | undefined>,
): Set<number> {
  const matters = new Set<number>();
  for (const c of calls) {
    if (!crossCallee.has(c.node.id) && !anyPattern(sinks, c.name)) continue;
    const fn = around.get(c.node.id);
    if (fn) matters.add(fn.id);
  }
  return matters;
}

/**
 * Symbolic pass: only functions that reach a sink or another file's function (`matters`, to which
 * their callers in the file are added) can say anything about their parameters; each parameter of
 * those is seeded as itself. Undefined for a file with neither: it has nothing to say.
 */
export function seedSymbolicScope(matters: Set<number>, crossCalls: number, fns: SummaryFunctions, seeds: Seeds): Set<number> | undefined {
  if (!matters.size && !crossCalls) return undefined;
  addCallers(matters, fns.calleeOf, fns.around);
  for (const fn of fns.list) {
    const key = fns.keys.get(fn.id);
    if (key && matters.has(fn.id))
      fns.paramsOf(fn).forEach((p, i) => seeds.seed(fn, p.name, { kind: "param", what: p.name, source: key, index: i, row: p.node.startPosition.row }));
  }
  return matters;
}

/** Symbolic pass: the result of call `n` of another file's function `elsewhere`, one taint per call. */
export function crossResult(crossTaint: Map<number, Taint>, n: Node, elsewhere: string): Taint {
  let t = crossTaint.get(n.id);
  if (!t) crossTaint.set(n.id, (t = { kind: "import", what: `the result of ${elsewhere}`, source: elsewhere, row: n.startPosition.row }));
  return t;
}

/**
 * Argument `arg` of call `node` of another file's function `elsewhere` carries `t`: a use of a
 * model answer, input or tool argument (plain pass); a parameter reaching that function, or another
 * file's result handed on (symbolic pass).
 */
export function crossUse(cross: CrossFile, node: Node, elsewhere: string, arg: number | string, t: Taint): void {
  const line = node.startPosition.row + 1;
  const column = node.startPosition.column + 1;
  if (!cross.symbolic && (t.kind === "model" || t.kind === "input" || t.kind === "tool"))
    addUse(cross.summary, { callee: elsewhere, arg, taint: taintRef(t), line, column });
  else if (cross.symbolic && t.kind === "param")
    addParamSink(cross.summary, t.source, { index: t.index ?? 0, name: t.what, line, column, via: { callee: elsewhere, arg } });
  else if (cross.symbolic && t.kind === "import" && t.source !== elsewhere) addUse(cross.summary, { callee: elsewhere, arg, taint: taintRef(t), line, column });
}

/** Symbolic pass: a parameter of a file function handed to a file function `callee`. */
export interface HandedOn {
  /** The caller's key and the parameter's position and name. */
  caller: string;
  index: number;
  name: string;
  callee: Node;
  /** Position or keyword of the argument the callee receives it as. */
  arg: number | string;
}

/** Records that argument `arg` of a call of the file's function `callee` is a parameter (`t`), if it is one. */
export function noteHandedOn(handedOn: HandedOn[], t: Taint | undefined, callee: Node, arg: number | string): void {
  if (t?.kind === "param") handedOn.push({ caller: t.source, index: t.index ?? 0, name: t.what, callee, arg });
}

/**
 * A parameter handed to a file function whose parameter reaches a sink reaches it too: added to
 * the caller's sinks, for three rounds at the most (chains of hand-offs).
 */
export function carryParamSinks(summary: FlowSummary, handedOn: readonly HandedOn[], fns: Pick<SummaryFunctions, "keys" | "paramsOf">): void {
  for (let round = 0; round < 3; round++) {
    let added = false;
    for (const h of handedOn) {
      const calleeKey = fns.keys.get(h.callee.id);
      if (!calleeKey) continue;
      const target = typeof h.arg === "number" ? h.arg : fns.paramsOf(h.callee).findIndex((p) => p.name === h.arg);
      for (const p of functionOf(summary, calleeKey)?.sinks ?? []) {
        if (p.index !== target) continue;
        const before = functionOf(summary, h.caller)?.sinks?.length ?? 0;
        addParamSink(summary, h.caller, { ...p, index: h.index, name: h.name });
        if ((functionOf(summary, h.caller)?.sinks?.length ?? 0) > before) added = true;
      }
    }
    if (!added) break;
  }
}
