// Where taint starts in a Python file: model answers (its model calls, and calls of its functions
// that return one), untrusted input (input calls and attributes, with the entry point they came
// through; retrieved documents), the arguments the model chooses for a tool (its parameters are
// seeded), and in the symbolic pass the result of each call of another file's function; and the
// sanitisers below which nothing counts. `taintAt` is what the SubtreeSearch asks of each node.
import type { Node } from "web-tree-sitter";
import { crossResult, type Seeds } from "../flow-steps.js";
import { modelAnswer, toolArgument, type Taint } from "../flow-taint.js";
import { anyName, findPattern } from "../patterns.js";
import { shortText, nodesOf } from "../tree-walk.js";
import type { PyFile } from "./context.js";
import type { PythonFlowData } from "./data.js";
import type { Flow } from "./flow-state.js";
import { realParams, type OwnFunctions } from "./functions.js";

/** An input source; `entryFromScope`: it arrives through the entry point of the scope it is read in. */
type InputSource = Omit<Taint, "entry"> & { entryFromScope: boolean };

export interface Sources {
  /** Input calls and attributes, by node id. */
  input: Map<number, InputSource>;
  /** Calls that return retrieved documents. */
  retrieved: Set<number>;
  /** Calls whose result is clean whatever their arguments. */
  sanitizers: Set<number>;
}

/** Sources and barriers, by node: computed once per pass. */
export function taintSources(file: PyFile, F: PythonFlowData): Sources {
  const s: Sources = { input: new Map(), retrieved: new Set(), sanitizers: new Set() };
  for (const c of file.calls) {
    if (anyName(F.sanitizers, c.name)) s.sanitizers.add(c.node.id);
    const input = findPattern(F.inputCalls, c.name);
    if (input)
      s.input.set(c.node.id, {
        kind: "input",
        what: input.what ?? "untrusted input",
        source: c.name,
        row: c.node.startPosition.row,
        entryFromScope: !input.local,
        ...(input.local ? { local: true } : {}),
      });
    if (anyName(F.retrieved, c.name)) s.retrieved.add(c.node.id);
  }
  for (const a of nodesOf(file.root, "attribute")) {
    const q = file.names.qname(a);
    const input = findPattern(F.inputAttributes, q);
    if (input)
      s.input.set(a.id, {
        kind: "input",
        what: input.what ?? "untrusted input",
        source: q,
        row: a.startPosition.row,
        entryFromScope: !input.local,
        ...(input.local ? { local: true } : {}),
      });
  }
  return s;
}

/** Seeds the parameters of tool functions: the model chooses them (not the framework's own, like callbacks). */
export function seedTools(fns: OwnFunctions, toolOf: Map<number, string>, seeds: Seeds): void {
  const byId = new Map(fns.all.map((fn) => [fn.id, fn] as const));
  for (const [id, tool] of toolOf) {
    const fn = byId.get(id);
    if (!fn) continue;
    for (const p of realParams(fns, fn)) if (!/^(run_manager|callbacks|config|kwargs|args)$/.test(p.name)) seeds.seed(fn, p.name, toolArgument(tool, p));
  }
}

/** The taint a node is a source of or holds in the scope being read; null below a sanitiser; undefined: look below. */
export function taintAt(flow: Flow, n: Node): Taint | null | undefined {
  const { sources, taint } = flow;
  if (sources.sanitizers.has(n.id)) return null;
  // The type read once: each read of a node's type is a call into the parser's memory.
  const type = n.type;
  if (type === "call") {
    const t = callTaint(flow, n);
    if (t) return t;
  }
  const input = sources.input.get(n.id);
  if (input) {
    const { entryFromScope, ...t } = input;
    const entry = entryFromScope ? (taint.scopeEntry ?? (t.source.startsWith("streamlit") ? flow.entries.streamlit : undefined)) : undefined;
    return { ...t, ...(entry ? { entry } : {}) };
  }
  if (type === "identifier" || type === "attribute") {
    const key = shortText(n)?.replace(/\s+/g, "");
    if (key !== undefined) {
      const t = taint.tainted.get(key) ?? taint.global.get(key);
      if (t) return t;
    }
  }
  return undefined;
}

/** What a call returns: a model answer, what a file function returns, another file's result (symbolic pass), retrieved documents. */
function callTaint(flow: Flow, n: Node): Taint | undefined {
  const { file, fns, cross } = flow;
  if (file.llmCalls.has(n.id)) return modelAnswer(n, file.callById.get(n.id)!.name);
  const callee = fns.calleeOf.get(n.id);
  const r = callee ? flow.returns.get(callee.id) : undefined;
  if (r) return r;
  const elsewhere = cross?.symbolic ? flow.crossCallee.get(n.id) : undefined;
  if (elsewhere) return crossResult(flow.crossTaint, n, elsewhere);
  if (flow.sources.retrieved.has(n.id)) return { kind: "input", what: "retrieved documents", source: file.callById.get(n.id)!.name, row: n.startPosition.row };
  return undefined;
}
