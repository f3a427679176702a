// The findings both languages' data flows report, worded once: taint reaching a sink (or, in the
// symbolic pass, what the summary records of it instead), input pasted into a prompt, an entry
// point calling the model with nothing to limit it, and a callable the model names run unchecked.
// The languages say where their syntax differs (a sink's name, how strings are built).
import type { Node } from "web-tree-sitter";
import type { CrossFile } from "./flow-steps.js";
import type { Taint } from "./flow-taint.js";
import type { Hit } from "./model.js";
import { at, where } from "./places.js";
import { sinkPhrase } from "./sinks.js";
import { addParamSink, addResultSink } from "./summary.js";
import { nodesOf } from "./tree-walk.js";

/** A place taint must not reach unchecked. */
export interface SinkAt {
  node: Node;
  /** The sink as the code names it (a call's qualified name, an HTML property). */
  name: string;
  /** What it does, in words ("a shell command"). */
  what: string;
  /** Its kind as sinkPhrase knows it: shell, sql, html, ... */
  kind: string;
  /** The HTML property or attribute written, for HTML that is not a call. */
  htmlKey?: string;
}

/**
 * Taint `t` reaches sink `s`: a hit for a model answer, input or tool argument; in the symbolic
 * pass, a parameter's or another file's result's sink recorded in the summary instead.
 */
export function reachSink(report: (h: Hit) => void, cross: CrossFile | undefined, s: SinkAt, t: Taint): void {
  if (cross?.symbolic) {
    const line = s.node.startPosition.row + 1;
    const column = s.node.startPosition.column + 1;
    if (t.kind === "param") addParamSink(cross.summary, t.source, { index: t.index ?? 0, name: t.what, sink: s.name, sinkKind: s.kind, line, column });
    else if (t.kind === "import") addResultSink(cross.summary, { callee: t.source, sink: s.name, sinkKind: s.kind, calledAt: t.row + 1, line, column });
    return;
  }
  if (t.kind === "param" || t.kind === "import") return;
  const { node, name, what, htmlKey } = s;
  const path = `${where(node.startPosition.row)} ${sinkPhrase(s.kind, `${t.kind === "model" ? "the model answer" : t.what} from ${where(t.row)}`)}`;
  if (t.kind === "model") {
    const message = htmlKey
      ? `model output from ${t.source}() is ${htmlKey === "dangerouslySetInnerHTML" ? `rendered with ${htmlKey}` : `written to .${htmlKey}`} without encoding: ${path}`
      : `model output from ${t.source}() reaches ${what} (${name}) without encoding or validation: ${path}`;
    report({
      kind: "code.output-to-sink",
      ...at(node),
      message,
      key: `${t.source}->${name}`,
      data: { source: t.source, sink: name, sinkKind: htmlKey ? "HTML" : what, sourceLine: t.row + 1, flow: path },
    });
  } else if (t.kind === "tool") {
    report({
      kind: "code.tool-input-to-sink",
      ...at(node),
      message: `the tool "${t.tool}" passes the argument the model chooses to ${what} (${name}): ${path}`,
      key: `${t.tool}->${name}`,
      data: { tool: t.tool, sink: name, sinkKind: what, sourceLine: t.row + 1, flow: path },
    });
  } else {
    report({
      kind: "code.input-to-sink",
      ...at(node),
      message: `${t.what} (${t.source}) reaches ${what} (${name}) without validation: ${path}`,
      key: `${t.source}->${name}`,
      data: { source: t.source, sink: name, sinkKind: what, sourceLine: t.row + 1, framework: t.entry?.framework ?? null, what: t.what, flow: path },
    });
  }
}

/** How a language builds strings: the node types that may build one, and which of them do. */
export interface Templates {
  types: string[];
  is(n: Node): boolean;
}

/**
 * Reports input built into a template (an f-string, +, .format) among `args` of the model call
 * `call`: instructions and untrusted text share one string. Input typed by the person running the
 * program (console, arguments) is theirs to phrase. Returns the first input that feeds the call.
 */
export function inputIntoPrompt(
  report: (h: Hit) => void,
  call: { node: Node; name: string },
  args: readonly Node[],
  templates: Templates,
  mentions: (n: Node) => Taint | undefined,
): Taint | undefined {
  let fed: Taint | undefined;
  for (const a of args) {
    const t = mentions(a);
    if (t?.kind !== "input") continue;
    fed ??= t;
    const built =
      !t.local && (t.templated || [a, ...nodesOf(a, ...templates.types).slice(0, 200)].some((x) => templates.is(x) && mentions(x)?.kind === "input"));
    if (built) report(inputIntoPromptHit(call.node, call.name, t));
  }
  return fed;
}

/** Input `t` built into the prompt of the model call `node` (`call`: what it calls). */
function inputIntoPromptHit(node: Node, call: string, t: Taint): Hit {
  return {
    kind: "code.input-into-prompt",
    ...at(node),
    message: `${t.what} (${t.source}) from ${where(t.row)} is pasted into the prompt of ${call}() at ${where(node.startPosition.row)}: instructions and untrusted text share one string`,
    key: `prompt:${t.source}->${call}`,
    data: { source: t.source, call, sourceLine: t.row + 1, what: t.what, sourceAt: where(t.row) },
  };
}

/**
 * The entry point that `fed` (input) arrived through calls the model (`node`, calling `call`) with
 * nothing in the file to limit how often: reported once per entry point (`reported` keeps them).
 */
export function reportUnbounded(report: (h: Hit) => void, reported: Set<string>, node: Node, call: string, fed: Taint): void {
  const e = fed.entry;
  if (!e) return;
  const k = `${e.framework}:${e.name}:${e.row}`;
  if (reported.has(k)) return;
  reported.add(k);
  const caller = e.framework === "streamlit" ? "the Streamlit app" : `${e.framework} entry point ${e.name}`;
  const missing = `no rate limiter${e.authenticated ? "" : ", no authentication"}`;
  report({
    kind: "code.unbounded-model-calls",
    ...at(node),
    message: `${caller} calls the model (${call}) at ${where(node.startPosition.row)} with ${fed.what} from ${where(fed.row)}, and nothing in the file limits how often (${missing})`,
    key: `unbounded:${e.framework}:${e.name}`,
    data: { framework: e.framework, entry: e.name, call, authenticated: e.authenticated, caller, input: `${fed.what} from ${where(fed.row)}`, missing },
  });
}

/** Call `node` runs the callable the model named (`callee`, the model answer `t`) with no approval step before it; `key` tells such calls apart. */
export function dynamicDispatchHit(node: Node, callee: string, t: Taint, key: string | number): Hit {
  return {
    kind: "code.dynamic-tool-dispatch",
    ...at(node),
    message: `${where(node.startPosition.row)} calls the function the model names (${callee}), from the model answer at ${where(t.row)}, with no approval step before it runs`,
    key: `dispatch:${key}`,
    data: { callee, source: t.source, sourceLine: t.row + 1, sourceAt: where(t.row) },
  };
}
