// What one source file tells other files about its data flow: which of its functions return a
// model answer (or untrusted input), which parameters reach a sink, and where it passes tainted
// values to functions it imports. It is part of the file's cached scan result (a pure function of
// the file's path and bytes); cross-file.ts joins the summaries of all files after the scan.
// Callees are written as the file's analysis names them: `pkg.mod.f`, `.mod.f` (relative),
// `pkg.mod.Class().method`, `./lib/x.f` (JS), `~Class.method` (an inherited method of the file's
// own class Class, reached through super() or self).

/** Where a value comes from: a source in this file, or the result of a callee elsewhere. */
export interface TaintRef {
  kind: "model" | "input" | "tool" | "via";
  /** For a source: "the model answer", "the request body", ...; for `via`: the callee. */
  what: string;
  /** The source call (model answers) or input; for `via`: the callee whose result it is. */
  source: string;
  /** 1-based line of the source (or of the call of the callee). */
  line: number;
  tool?: string;
  /** The input was typed by the person running the program. */
  local?: boolean;
}

/** A parameter of a function that reaches a sink, here or through a callee elsewhere. */
export interface ParamSink {
  /** 0-based position among the parameters the caller passes (self excluded), and the name. */
  index: number;
  name: string;
  /** The sink reached in this file, or undefined when it is reached through `via`. */
  sink?: string;
  sinkKind?: string;
  line: number;
  column: number;
  /** The sink lies in a callee elsewhere: the callee and the argument it receives the value as. */
  via?: { callee: string; arg: number | string };
}

export interface FunctionSummary {
  returns?: TaintRef;
  sinks?: ParamSink[];
}

/** A call of a function defined elsewhere with a tainted argument. */
export interface CrossUse {
  callee: string;
  /** Position or keyword of the tainted argument. */
  arg: number | string;
  taint: TaintRef;
  line: number;
  column: number;
}

/** The result of a function defined elsewhere reaching a sink of this file. */
export interface ResultSink {
  callee: string;
  sink: string;
  sinkKind?: string;
  /** The line of the call whose result it is. */
  calledAt: number;
  line: number;
  column: number;
}

export interface FlowSummary {
  lang: "python" | "js";
  /** Top-level functions ("f") and methods of top-level classes ("Class.m"). */
  functions: Record<string, FunctionSummary>;
  /** Top-level classes and their base classes, as the file names them. */
  classes: Record<string, string[]>;
  uses: CrossUse[];
  resultSinks: ResultSink[];
  /** "app": the file sets up a rate limiter for the whole app (its routes in other files are limited). */
  limits?: "app";
}

/** Caps: a summary stays small whatever the file. */
export const SUMMARY_LIMITS = { functions: 500, sinksPerFunction: 32, uses: 200, resultSinks: 200, bases: 4 } as const;

// Function and class names come from the scanned file: `__proto__`, `constructor` and `toString` are
// names like any other. The records have no prototype, are read through Object.hasOwn and written
// with defineProperty, so a name can neither reach Object.prototype nor find what it inherits (a
// summary that crossed a worker or the cache has a prototype again).
const record = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;
const setOwn = <T>(r: Record<string, T>, key: string, value: T): T => {
  Object.defineProperty(r, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
};

export const emptySummary = (lang: FlowSummary["lang"]): FlowSummary => ({ lang, functions: record(), classes: record(), uses: [], resultSinks: [] });

/** The summary of the file's function `key` (`f`, `Class.m`), if it has one. */
export function functionOf(s: Pick<FlowSummary, "functions">, key: string): FunctionSummary | undefined {
  return Object.hasOwn(s.functions, key) ? s.functions[key] : undefined;
}

/** The bases of the file's top-level class `name`, as the file names them. */
export function basesOf(s: Pick<FlowSummary, "classes">, name: string): string[] | undefined {
  return Object.hasOwn(s.classes, name) ? s.classes[name] : undefined;
}

export function setBases(s: FlowSummary, name: string, bases: string[]): void {
  setOwn(s.classes, name, bases);
}

/** True when the summary says something another file can use. */
export function summaryMatters(s: FlowSummary): boolean {
  return s.limits !== undefined || s.uses.length > 0 || s.resultSinks.length > 0 || Object.values(s.functions).some((f) => f.returns || f.sinks?.length);
}

export function addFunction(s: FlowSummary, key: string): FunctionSummary | undefined {
  const have = functionOf(s, key);
  if (have) return have;
  if (Object.keys(s.functions).length >= SUMMARY_LIMITS.functions) return undefined;
  return setOwn<FunctionSummary>(s.functions, key, {});
}

export function addParamSink(s: FlowSummary, key: string, p: ParamSink): void {
  const f = addFunction(s, key);
  if (!f) return;
  f.sinks ??= [];
  if (f.sinks.length >= SUMMARY_LIMITS.sinksPerFunction) return;
  if (f.sinks.some((x) => x.index === p.index && x.line === p.line && x.column === p.column)) return;
  f.sinks.push(p);
}

export function addUse(s: FlowSummary, u: CrossUse): void {
  if (s.uses.length >= SUMMARY_LIMITS.uses) return;
  if (s.uses.some((x) => x.callee === u.callee && x.arg === u.arg && x.line === u.line && x.column === u.column)) return;
  s.uses.push(u);
}

export function addResultSink(s: FlowSummary, r: ResultSink): void {
  if (s.resultSinks.length >= SUMMARY_LIMITS.resultSinks) return;
  if (s.resultSinks.some((x) => x.callee === r.callee && x.line === r.line && x.column === r.column)) return;
  s.resultSinks.push(r);
}
