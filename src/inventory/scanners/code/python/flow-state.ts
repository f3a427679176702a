// What one data-flow pass over a Python file shares between its parts (flow.ts builds it): the
// file, what is known before reading (its functions, entry points, sources, seeds, sinks, limits),
// what reading finds (the taint of names, what functions return), the worklist of functions to
// read (again), and the reporter that keeps each finding once.
import type { Node } from "web-tree-sitter";
import type { Taint } from "../flow-taint.js";
import type { Hit } from "../model.js";
import type { FlowSink } from "../sinks.js";
import type { PyFile } from "./context.js";
import type { HandedOn, PyCrossFile } from "./cross.js";
import type { PythonFlowData } from "./data.js";
import type { OwnFunctions } from "./functions.js";
import type { Limits } from "./limits.js";
import type { EntryPoints } from "./routes.js";
import type { Sources } from "./sources.js";
import type { TaintState } from "./taint.js";

/** Each function is re-read at most this many times as new taint reaches it. */
export const MAX_VISITS = 6;

export interface Flow {
  /** The file; hits go to file.out (the symbolic pass's is thrown away). */
  file: PyFile;
  /** The summary this pass writes to, and whether it is the symbolic pass; undefined: no summary. */
  cross: PyCrossFile | undefined;
  /** The data (policies/code/patterns.json flow.python). */
  F: PythonFlowData;
  /** The sinks that apply to this file. */
  sinks: FlowSink[];
  fns: OwnFunctions;
  entries: EntryPoints;
  seeds: Seeds;
  /** Functions whose parameters the model chooses, with the tool's name. */
  toolOf: Map<number, string>;
  sources: Sources;
  limits: Limits;
  /** What a call of each file function returns, by function node id. */
  returns: Map<number, Taint>;
  /** Calls of functions defined in other files (summary.ts), with the callee's name. */
  crossCallee: Map<number, string>;
  /** Symbolic pass: the result of each such call as a source of its own. */
  crossTaint: Map<number, Taint>;
  /** Symbolic pass: parameters handed on to the file's own functions. */
  handedOn: HandedOn[];
  taint: TaintState;
  work: Worklist;
  /** Adds a hit to file.out, each (kind, place, key) once. */
  report: (h: Hit) => void;
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
 * is read again (`moduleDirty`) when a function taints a module-level name. In the symbolic pass
 * only the functions of `scope` are read.
 */
export class Worklist {
  moduleDirty = false;
  scope: Set<number> | undefined;
  private readonly visits = new Map<number, number>();
  private readonly queue: Node[] = [];
  private readonly queued = new Set<number>();

  enqueue(fn: Node): void {
    if (this.scope && !this.scope.has(fn.id)) return;
    if (this.queued.has(fn.id) || (this.visits.get(fn.id) ?? 0) >= MAX_VISITS) return;
    this.queued.add(fn.id);
    this.queue.push(fn);
  }

  /** Reads queued functions and the module, when dirty, until nothing changes or the round limit. */
  drain(root: Node, functionCount: number, read: (scopeFn: Node | undefined) => void): void {
    let rounds = 0;
    while (this.queue.length || this.moduleDirty) {
      if (++rounds > 50 * (functionCount + 2)) break;
      const fn = this.queue.shift();
      if (fn) {
        this.queued.delete(fn.id);
        this.visits.set(fn.id, (this.visits.get(fn.id) ?? 0) + 1);
        read(fn);
      } else if (this.moduleDirty) {
        this.moduleDirty = false;
        if ((this.visits.get(root.id) ?? 0) >= MAX_VISITS) break;
        this.visits.set(root.id, (this.visits.get(root.id) ?? 0) + 1);
        read(undefined);
      }
    }
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
