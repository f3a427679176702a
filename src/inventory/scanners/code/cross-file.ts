// Data flow across files: joins the per-file summaries (summary.ts) after every file is scanned.
// A tainted value one file passes to a function another file defines, whose parameter reaches a
// sink (there or further on), is reported where it is passed; the result of a function elsewhere
// that returns a model answer (or untrusted input) is reported at the sink it reaches. Linear in
// the summaries: each lookup follows at most MAX_DEPTH files and is memoised.
import type { Observation } from "../../types.js";
import { sinkPhrase } from "./sinks.js";
import { basesOf, functionOf, type FlowSummary, type FunctionSummary, type TaintRef } from "./summary.js";
import { append } from "../../../util/append.js";

type Located = { path: string } & FlowSummary;

/** What a sink of each kind is, in words. */
const SINK_NOUN: Record<string, string> = {
  shell: "a shell command",
  sql: "SQL",
  html: "HTML",
  http: "an HTTP request",
  file: "a file path",
  code: "an interpreter",
};

/** How many files a lookup follows (callee -> callee -> ... or class -> base -> ...). */
const MAX_DEPTH = 4;
/** Findings one call site or sink gives at most. */
const MAX_PER_SITE = 2;
/** Findings the join gives at most, whatever the repository. */
const MAX_FINDINGS = 500;

interface Found {
  path: string;
  key: string;
  fn: FunctionSummary;
}
interface RealTaint {
  taint: TaintRef;
  path: string;
}
interface SinkAt {
  path: string;
  fnKey: string;
  sink: string;
  sinkKind: string;
  line: number;
}

/** Python module names of a file: `a/b/c.py` is a.b.c (and b.c, c when no other file claims them). */
function pythonModules(path: string): string[] {
  const m = /^(.*)\.py$/.exec(path);
  if (!m) return [];
  const parts = m[1]!.split("/");
  if (parts[parts.length - 1] === "__init__") parts.pop();
  if (!parts.length || parts.some((p) => !/^[A-Za-z_]\w*$/.test(p))) return [];
  return parts.map((_, i) => parts.slice(i).join("."));
}

/** JS/TS: a file's path without its extension (and `/index`), to resolve relative imports. */
function jsModule(path: string): string[] {
  const m = /^(.*)\.(?:[cm]?[jt]sx?)$/.exec(path);
  if (!m) return [];
  const base = m[1]!;
  return base.endsWith("/index") ? [base, base.slice(0, -"/index".length)] : [base];
}

/**
 * The code scanner's observations with what only the whole repository shows: flows across files
 * added; model calls of routes that an app-wide rate limiter in another file covers, and
 * `from_pretrained` downloads that are the repository's own classes, taken out.
 */
export function crossFileJoin(all: readonly Located[], observations: Observation[]): Observation[] {
  // A summary read back from the scan cache is used only in the shape this code writes.
  const summaries = all.filter(wellFormed);
  if (!summaries.some((s) => s.limits || s.uses.length || s.resultSinks.length) && !observations.some((o) => o.kind === "code.unpinned-download"))
    return observations;
  return [...observations.filter(keep(summaries)), ...crossFileObservations(summaries, observations)];
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** A summary (from the scan cache too) in the shape this code writes. Loops, not Object.values: this runs once per source file, and most summaries are empty. */
export function wellFormed(s: Located): boolean {
  if (!isRecord(s) || typeof s.path !== "string" || (s.lang !== "python" && s.lang !== "js")) return false;
  if (!isRecord(s.functions) || !isRecord(s.classes) || !Array.isArray(s.uses) || !Array.isArray(s.resultSinks)) return false;
  for (const u of s.uses)
    if (!(isRecord(u) && typeof u.callee === "string" && isRecord(u.taint) && typeof u.taint.source === "string" && typeof u.line === "number")) return false;
  for (const r of s.resultSinks) if (!(isRecord(r) && typeof r.callee === "string" && typeof r.sink === "string" && typeof r.line === "number")) return false;
  for (const name in s.functions) {
    if (!Object.hasOwn(s.functions, name)) continue;
    const f = s.functions[name];
    if (!isRecord(f) || (f.sinks !== undefined && !(Array.isArray(f.sinks) && f.sinks.every((p) => isRecord(p) && typeof p.index === "number")))) return false;
  }
  for (const name in s.classes) {
    if (!Object.hasOwn(s.classes, name)) continue;
    const bases = s.classes[name];
    if (!Array.isArray(bases) || !bases.every((x) => typeof x === "string")) return false;
  }
  return true;
}

/** Drops what the repository's other files settle. */
function keep(summaries: readonly Located[]): (o: Observation) => boolean {
  // App-wide limiters cover the routes in the limiter file's folder and below (a file at the top: everything).
  const limited = summaries.filter((s) => s.limits === "app").map((s) => (s.path.includes("/") ? s.path.slice(0, s.path.lastIndexOf("/") + 1) : ""));
  // Full dotted names, and shorter tails of two parts or more (a src/ layout); a one-part tail could be a library's name.
  const pyModules = new Set(summaries.filter((s) => s.lang === "python").flatMap((s) => pythonModules(s.path).filter((m, i) => i === 0 || m.includes("."))));
  const own = (call: string) => {
    const segs = call.replace(/\(\)/g, "").split(".");
    // `pkg.mod.Class.from_pretrained`: a class the repository defines, not a hub download.
    for (let i = segs.length - 2; i >= 1; i--) if (pyModules.has(segs.slice(0, i).join("."))) return true;
    return false;
  };
  return (o) => {
    if (o.kind === "code.unbounded-model-calls" && limited.some((prefix) => o.location.path.startsWith(prefix))) return false;
    if (o.kind === "code.unpinned-download" && typeof o.data?.call === "string" && /\.from_pretrained$/.test(o.data.call) && own(o.data.call)) return false;
    return true;
  };
}

function crossFileObservations(summaries: readonly Located[], existing: readonly Observation[]): Observation[] {
  if (!summaries.length) return [];
  const byPath = new Map(summaries.map((s) => [s.path, s] as const));
  const fnOf = (s: FlowSummary | undefined, key: string) => (s ? functionOf(s, key) : undefined);
  // Module name -> file; a suffix two files claim names neither.
  const exact = new Map<string, string>();
  const suffix = new Map<string, string | null>();
  for (const s of summaries) {
    const names = s.lang === "python" ? pythonModules(s.path) : jsModule(s.path);
    names.forEach((n, i) => {
      if (i === 0) exact.set(n, s.path);
      else suffix.set(n, suffix.has(n) && suffix.get(n) !== s.path ? null : s.path);
    });
  }
  const moduleFile = (name: string) => exact.get(name) ?? suffix.get(name) ?? undefined;

  /** An absolute dotted name for a callee written in `from` (relative imports resolved). */
  const absolute = (from: string, callee: string): string | undefined => {
    const s = byPath.get(from);
    if (s?.lang === "js") {
      // `./lib/x.f` relative to the importing file's folder, `@/lib/x.f` from the top (or src/),
      // `./lib/x` alone is its default export.
      const m = /^((?:\.{1,2}|@)\/.*?)(?:\.([A-Za-z_$][\w$]*))?$/.exec(callee.replace(/\(\)/g, ""));
      if (!m) return undefined;
      let spec = m[1]!;
      let name = m[2] ?? "default";
      // A dotted tail that is a file extension belongs to the path.
      if (/^(js|ts|tsx|jsx|mjs|cjs)$/.test(name) && !m[1]!.includes(".", 2)) {
        spec = `${spec}.${name}`;
        name = "default";
      }
      const parts = spec.startsWith("@/") ? [] : from.includes("/") ? from.slice(0, from.lastIndexOf("/")).split("/") : [];
      for (const seg of spec.replace(/^@\//, "").split("/")) {
        if (seg === "..") parts.pop();
        else if (seg !== "." && seg !== "") parts.push(seg);
      }
      return `${parts.join("/").replace(/\.([cm]?[jt]sx?)$/, "")}\u0000${name}`;
    }
    if (!callee.startsWith(".")) return callee;
    const level = /^\.+/.exec(callee)![0].length;
    const own = pythonModules(from)[0];
    if (own === undefined) return undefined;
    const pkg = own.split(".");
    if (!from.endsWith("__init__.py")) pkg.pop();
    for (let i = 1; i < level; i++) pkg.pop();
    const rest = callee.slice(level);
    return [...pkg, rest].filter(Boolean).join(".");
  };

  /** The function a callee names: a function of a module, or a method of a class (inherited ones too). */
  const resolve = (from: string, callee: string, depth: number): Found | undefined => {
    if (depth > MAX_DEPTH) return undefined;
    if (callee.startsWith("~")) {
      // An inherited method of the caller's own class.
      const [cls, method] = callee.slice(1).split(".");
      return inherited(from, cls!, method!, depth);
    }
    const abs = absolute(from, callee);
    if (abs === undefined) return undefined;
    if (abs.includes("\u0000")) {
      const [mod, name] = abs.split("\u0000") as [string, string];
      const path = moduleFile(mod) ?? moduleFile(`src/${mod}`);
      const fn = path ? fnOf(byPath.get(path), name) : undefined;
      return fn && path ? { path, key: name, fn } : undefined;
    }
    const segs = abs.replace(/\(\)/g, "").split(".");
    for (let i = segs.length - 1; i >= 1; i--) {
      const path = moduleFile(segs.slice(0, i).join("."));
      if (!path || path === undefined) continue;
      const rest = segs.slice(i);
      const s = byPath.get(path)!;
      const fn = rest.length === 1 ? functionOf(s, rest[0]!) : undefined;
      if (fn) return { path, key: rest[0]!, fn };
      // `Cls(x)`: the constructor's parameters.
      const init = rest.length === 1 ? functionOf(s, `${rest[0]}.__init__`) : undefined;
      if (init) return { path, key: `${rest[0]}.__init__`, fn: init };
      if (rest.length === 2) return method(path, rest[0]!, rest[1]!, depth);
      return undefined;
    }
    return undefined;
  };
  const method = (path: string, cls: string, name: string, depth: number): Found | undefined => {
    const own = fnOf(byPath.get(path), `${cls}.${name}`);
    if (own) return { path, key: `${cls}.${name}`, fn: own };
    return inherited(path, cls, name, depth);
  };
  const inherited = (path: string, cls: string, name: string, depth: number): Found | undefined => {
    if (depth > MAX_DEPTH) return undefined;
    const s = byPath.get(path);
    for (const base of (s ? basesOf(s, cls) : undefined) ?? []) {
      if (!base.includes(".")) {
        const f = method(path, base, name, depth + 1);
        if (f) return f;
        continue;
      }
      const abs = absolute(path, base);
      if (!abs) continue;
      const segs = abs.split(".");
      const file = moduleFile(segs.slice(0, -1).join("."));
      const f = file ? method(file, segs[segs.length - 1]!, name, depth + 1) : undefined;
      if (f) return f;
    }
    return undefined;
  };

  const returnsMemo = new Map<string, RealTaint | null>();
  const returnsOf = (from: string, callee: string, depth = 0): RealTaint | undefined => {
    const k = `${from}\u0000${callee}`;
    if (returnsMemo.has(k)) return returnsMemo.get(k) ?? undefined;
    returnsMemo.set(k, null);
    const fn = resolve(from, callee, depth);
    let r: RealTaint | undefined;
    if (fn?.fn.returns)
      r =
        fn.fn.returns.kind === "via"
          ? depth < MAX_DEPTH
            ? returnsOf(fn.path, fn.fn.returns.source, depth + 1)
            : undefined
          : { taint: fn.fn.returns, path: fn.path };
    returnsMemo.set(k, r ?? null);
    return r;
  };

  const sinksMemo = new Map<string, SinkAt[]>();
  const sinksOf = (from: string, callee: string, arg: number | string, depth = 0): SinkAt[] => {
    const k = `${from}\u0000${callee}\u0000${arg}`;
    const have = sinksMemo.get(k);
    if (have) return have;
    sinksMemo.set(k, []);
    const fn = resolve(from, callee, depth);
    const out: SinkAt[] = [];
    for (const p of fn?.fn.sinks ?? []) {
      if (typeof arg === "number" ? p.index !== arg : p.name !== arg) continue;
      if (p.sink) out.push({ path: fn!.path, fnKey: fn!.key, sink: p.sink, sinkKind: p.sinkKind ?? "code", line: p.line });
      else if (p.via && depth < MAX_DEPTH) append(out, sinksOf(fn!.path, p.via.callee, p.via.arg, depth + 1));
      if (out.length >= MAX_PER_SITE) break;
    }
    const kept = out.slice(0, MAX_PER_SITE);
    sinksMemo.set(k, kept);
    return kept;
  };

  const taken = new Set(
    existing.filter((o) => /^code\.(output|input|tool-input)-to-sink$/.test(o.kind)).map((o) => `${o.kind}|${o.location.path}|${o.location.line}`),
  );
  const out: Observation[] = [];
  const emit = (path: string, line: number, column: number, t: RealTaint, passed: string | undefined, sink: SinkAt) => {
    if (out.length >= MAX_FINDINGS || t.taint.local) return;
    const kind =
      t.taint.kind === "model"
        ? "code.output-to-sink"
        : t.taint.kind === "tool"
          ? "code.tool-input-to-sink"
          : t.taint.kind === "input"
            ? "code.input-to-sink"
            : undefined;
    if (!kind) return;
    const slot = `${kind}|${path}|${line}`;
    if (taken.has(slot)) return;
    taken.add(slot);
    const from = `${t.path}:${t.taint.line}`;
    const what =
      t.taint.kind === "model"
        ? `the model answer (${t.taint.source}() at ${from})`
        : t.taint.kind === "tool"
          ? `the argument the model chooses for the tool "${t.taint.tool}" (${from})`
          : `${t.taint.what} (${t.taint.source} at ${from})`;
    const sinkAt = `${sink.sink} at ${sink.path}:${sink.line}`;
    if (passed && byPath.get(path)?.lang === "python" && passed.startsWith(".")) passed = absolute(path, passed) ?? passed;
    const flow = passed
      ? `from ${from}, passed to ${passed.replace(/^~/, "")} at ${path}:${line}, which ${sinkPhrase(sink.sinkKind, "it")} (${sinkAt})`
      : `from ${from}, to ${sinkAt}, which ${sinkPhrase(sink.sinkKind, "it")}`;
    const message = `${what} ${passed ? `is passed to ${passed.replace(/^~/, "")} at ${path}:${line}, which ${sinkPhrase(sink.sinkKind, "it")} (${sinkAt})` : `reaches ${sinkAt}, which ${sinkPhrase(sink.sinkKind, "it")}`} without ${kind === "code.output-to-sink" ? "encoding or " : ""}validation`;
    const data: Record<string, unknown> = {
      sink: sink.sink,
      sinkKind: SINK_NOUN[sink.sinkKind] ?? sink.sinkKind,
      sourceLine: t.taint.line,
      sourcePath: t.path,
      sinkPath: sink.path,
      sinkLine: sink.line,
      via: passed ?? null,
      flow,
    };
    if (kind === "code.tool-input-to-sink") data.tool = t.taint.tool ?? null;
    else data.source = t.taint.source;
    if (kind === "code.input-to-sink") Object.assign(data, { framework: null, what: t.taint.what });
    out.push({
      scanner: "code",
      kind,
      location: { path, line, column },
      message,
      key: `${t.taint.kind === "tool" ? t.taint.tool : t.taint.source}->${passed ?? ""}->${sink.sink}`,
      data,
    });
  };

  for (const s of summaries) {
    for (const u of s.uses) {
      const t: RealTaint | undefined = u.taint.kind === "via" ? returnsOf(s.path, u.taint.source) : { taint: u.taint, path: s.path };
      if (!t) continue;
      for (const sink of sinksOf(s.path, u.callee, u.arg)) emit(s.path, u.line, u.column, t, u.callee, sink);
    }
    for (const r of s.resultSinks) {
      const t = returnsOf(s.path, r.callee);
      if (t) emit(s.path, r.line, r.column, t, undefined, { path: s.path, fnKey: "", sink: r.sink, sinkKind: r.sinkKind ?? "code", line: r.line });
    }
  }
  return out;
}
