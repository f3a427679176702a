// What the Python and JS/TS data-flow analyses carry: the taint that reaches a place, and the web
// or UI entry point untrusted input arrived through. One definition for both languages, with the
// steps of the cross-file summary that do not depend on the language.
import type { Node } from "web-tree-sitter";
import { addFunction, functionOf, type FlowSummary, type TaintRef } from "./summary.js";

/** A web or UI entry point (a route, a handler, an interface callback). */
export interface Entry {
  framework: string;
  name: string;
  row: number;
  authenticated: boolean;
}

/** What reaches a place: a model answer, untrusted input, or a model-chosen tool argument. */
export interface Taint {
  kind: "model" | "input" | "tool" | "param" | "import";
  /** "the model answer", "the request body", ... */
  what: string;
  /** The source call's qualified name (model answers), or what the input is. */
  source: string;
  row: number;
  /** The web or UI entry point the input arrived through. */
  entry?: Entry;
  tool?: string;
  /** Built into a prompt template (f-string, +, format) on its way. */
  templated?: boolean;
  /** Typed by the person running the program (console, arguments): theirs to run, not an attack. */
  local?: boolean;
  /**
   * Summary pass only (summary.ts): `param` is a function's parameter (`source` is the function's
   * key, `index` its position), `import` the result of a function defined in another file
   * (`source` is the callee). Never reported as such.
   */
  index?: number;
}

/** The answer of model call `n`, which calls `source`. */
export const modelAnswer = (n: Node, source: string): Taint => ({ kind: "model", what: "the model answer", source, row: n.startPosition.row });

/** What the model chooses for parameter `param` of the function that runs tool `tool`. */
export const toolArgument = (tool: string, param: { name: string; node: Node }): Taint => ({
  kind: "tool",
  what: `the argument ${param.name} the model chooses for the tool "${tool}"`,
  source: `${tool}(${param.name})`,
  row: param.node.startPosition.row,
  tool,
});

/** A taint as the file's summary records it: parameters and imported results become `via`. */
export function taintRef(t: Taint): TaintRef {
  return {
    kind: t.kind === "param" || t.kind === "import" ? "via" : t.kind,
    what: t.what,
    source: t.source,
    line: t.row + 1,
    ...(t.tool ? { tool: t.tool } : {}),
    ...(t.local ? { local: true } : {}),
  };
}

/**
 * Adds to `matters` (function node ids) every function that calls one already in it, through the
 * file's own calls (`calleeOf`: call node id to the function it calls; `fnAround`: call node id to
 * the function holding it), until nothing grows or after 20 rounds.
 */
export function addCallers(matters: Set<number>, calleeOf: ReadonlyMap<number, Node>, fnAround: ReadonlyMap<number, Node | undefined>): void {
  for (let round = 0, grew = true; grew && round < 20; round++) {
    grew = false;
    for (const [callId, callee] of calleeOf) {
      const fn = matters.has(callee.id) ? fnAround.get(callId) : undefined;
      if (fn && !matters.has(fn.id)) {
        matters.add(fn.id);
        grew = true;
      }
    }
  }
}

/**
 * Records which of the file's functions return a model answer, a model-chosen tool argument or
 * untrusted input (not typed by the person running it); in the symbolic pass, which return another
 * file's function's result.
 */
export function summariseReturns(
  summary: FlowSummary,
  symbolic: boolean,
  functions: readonly Node[],
  fnKey: ReadonlyMap<number, string>,
  returns: ReadonlyMap<number, Taint>,
): void {
  for (const fn of functions) {
    const key = fnKey.get(fn.id);
    const t = returns.get(fn.id);
    if (!key || !t) continue;
    const record = symbolic
      ? t.kind === "import" && !functionOf(summary, key)?.returns
      : t.kind === "model" || t.kind === "tool" || (t.kind === "input" && !t.local);
    if (!record) continue;
    const s = addFunction(summary, key);
    if (s) s.returns = taintRef(t);
  }
}
