// Steps of the data flow that know nothing of JavaScript, written so that the Python flow (which
// has the same ones inline) can share them: the queue of scopes to read again, the taint search
// with its answers cached per node, reporting a hit once, the functions the summary pass reads, and
// carrying parameter sinks back through functions that hand a parameter on.
import type { Node } from "web-tree-sitter";
import type { FileAnalysis, Hit } from "../model.js";
import { anyName } from "../patterns.js";
import { addParamSink, functionOf, type FlowSummary } from "../summary.js";
import { SubtreeSearch } from "../tree-walk.js";
import type { Taint } from "../flow-taint.js";

/** How often one scope is read at the most: taint arriving later than that is not followed. */
const MAX_VISITS = 6;

/** The functions to read (again) because new taint reached them, and the module when it must be. */
export class Worklist {
  /** Read only these functions (the summary pass); undefined: all. */
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

/** "What taint does this expression carry?", answered by a SubtreeSearch over a source test. */
export class TaintSearch {
  private readonly table: Taint[] = [];
  private readonly index = new Map<Taint, string>();
  private readonly search: SubtreeSearch;

  /** `source`: the taint a node starts, null below a sanitiser, undefined to look below it. */
  constructor(source: (n: Node) => Taint | null | undefined, budget: number) {
    this.search = new SubtreeSearch((n) => {
      const t = source(n);
      return t ? this.encode(t) : t;
    }, budget);
  }

  find(n: Node | null | undefined): Taint | undefined {
    const k = this.search.find(n);
    return k === undefined ? undefined : this.table[Number(k)];
  }

  /** Forget the cached answers: what is tainted changed. */
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

/** Adds hits to `out`, each place and key once. */
export class HitsOnce {
  private readonly seen = new Set<string>();
  constructor(private readonly out: FileAnalysis) {}

  report(h: Hit): void {
    const k = `${h.kind}|${h.row}|${h.column}|${h.key}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.out.hits.push(h);
  }
}

/** Summary pass: the functions holding a sink call or a call of another file's function. */
export function functionsWithSinks(calls: readonly { node: Node; name: string }[], sinks: readonly { pattern: string }[], crossCallee: ReadonlyMap<number, string>, around: ReadonlyMap<number, Node | undefined>): Set<number> {
  const matters = new Set<number>();
  for (const c of calls) {
    if (!crossCallee.has(c.node.id) && !sinks.some((s) => anyName([s.pattern], c.name))) continue;
    const fn = around.get(c.node.id);
    if (fn) matters.add(fn.id);
  }
  return matters;
}

/** A parameter of the file's function `caller` (at `index`) passed to the file's function `callee` as argument `arg`. */
export interface HandedOn {
  caller: string;
  index: number;
  name: string;
  callee: Node;
  arg: number;
}

/**
 * A parameter handed to a file function whose parameter reaches a sink reaches it too: added to
 * the caller's sinks, for three rounds at the most (chains of hand-offs).
 */
export function carryParamSinks(summary: FlowSummary, handedOn: readonly HandedOn[], keys: ReadonlyMap<number, string>): void {
  for (let round = 0; round < 3; round++) {
    let added = false;
    for (const h of handedOn) {
      const calleeKey = keys.get(h.callee.id);
      if (!calleeKey) continue;
      for (const p of functionOf(summary, calleeKey)?.sinks ?? []) {
        if (p.index !== h.arg) continue;
        const before = functionOf(summary, h.caller)?.sinks?.length ?? 0;
        addParamSink(summary, h.caller, { ...p, index: h.index, name: h.name });
        if ((functionOf(summary, h.caller)?.sinks?.length ?? 0) > before) added = true;
      }
    }
    if (!added) break;
  }
}
