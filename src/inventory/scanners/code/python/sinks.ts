// Where taint becomes a finding at a call of a Python file: a sink (shell, exec/eval, SQL text,
// HTML rendering, HTTP URLs, file paths, as the data lists them, with the arguments that count)
// reached by a model answer, untrusted input or a model-chosen tool argument, or in the symbolic
// pass by a parameter or another file's result (recorded in the summary instead); a callable the
// model named run with no approval step before it; a retrieval store written from a route anyone
// can call. The wording of what a sink does is ../sinks.ts.
import type { Node } from "web-tree-sitter";
import type { Taint } from "../flow-taint.js";
import { anyName } from "../patterns.js";
import { sinkPhrase, type FlowSink } from "../sinks.js";
import { addParamSink, addResultSink } from "../summary.js";
import { shortText } from "../tree-walk.js";
import { at, where } from "../places.js";
import type { Flow } from "./flow-state.js";
import type { PyCall } from "./names.js";

/** A sink call with a tainted argument (console input, typed by the person running the program, is theirs to run). */
export function sinkCall(flow: Flow, c: PyCall): void {
  const sink = flow.sinks.find((s) => anyName([s.pattern], c.name) && sinkApplies(c, s));
  if (!sink) return;
  const t = sinkArgs(c, sink).map((a) => flow.taint.mentions(a)).find((x) => x && !x.local);
  if (t) onSink(flow, c, sink, t);
}

/** The arguments a sink uses: all, or the positions and keywords the data names. */
function sinkArgs(c: PyCall, s: FlowSink): Node[] {
  if (!s.args && !s.kw) return [...c.positional, ...c.kwargs.values()];
  const picked: Node[] = [];
  for (const i of s.args ?? []) if (c.positional[i]) picked.push(c.positional[i]!);
  for (const k of s.kw ?? []) if (c.kwargs.get(k)) picked.push(c.kwargs.get(k)!);
  return picked;
}

/** Whether the call is a sink as written: a keyword it needs (shell=True), a write mode for open(). */
function sinkApplies(c: PyCall, s: FlowSink): boolean {
  if (s.when) {
    const v = c.kwargs.get(s.when.kwarg);
    if (s.when.equals === true && v?.type !== "true") return false;
  }
  if (s.writeMode) {
    const mode = c.positional[1] ?? c.kwargs.get("mode");
    if (!mode || !/[wax+]/.test(mode.text)) return false;
  }
  return true;
}

function onSink(flow: Flow, c: PyCall, s: FlowSink, t: Taint): void {
  const { cross, report } = flow;
  if (cross?.symbolic) {
    const line = c.node.startPosition.row + 1;
    const column = c.node.startPosition.column + 1;
    if (t.kind === "param") addParamSink(cross.summary, t.source, { index: t.index ?? 0, name: t.what, sink: c.name, sinkKind: s.kind ?? "code", line, column });
    else if (t.kind === "import") addResultSink(cross.summary, { callee: t.source, sink: c.name, sinkKind: s.kind ?? "code", calledAt: t.row + 1, line, column });
    return;
  }
  if (t.kind === "param" || t.kind === "import") return;
  const what = s.what ?? c.name;
  const path = `${where(c.node.startPosition.row)} ${sinkPhrase(s.kind ?? "code", `${t.kind === "model" ? "the model answer" : t.what} from ${where(t.row)}`)}`;
  if (t.kind === "model") {
    report({ kind: "code.output-to-sink", ...at(c.node), message: `model output from ${t.source}() reaches ${what} (${c.name}) without encoding or validation: ${path}`, key: `${t.source}->${c.name}`, data: { source: t.source, sink: c.name, sinkKind: what, sourceLine: t.row + 1, flow: path } });
  } else if (t.kind === "tool") {
    report({ kind: "code.tool-input-to-sink", ...at(c.node), message: `the tool "${t.tool}" passes the argument the model chooses to ${what} (${c.name}): ${path}`, key: `${t.tool}->${c.name}`, data: { tool: t.tool, sink: c.name, sinkKind: what, sourceLine: t.row + 1, flow: path } });
  } else {
    report({ kind: "code.input-to-sink", ...at(c.node), message: `${t.what} (${t.source}) reaches ${what} (${c.name}) without validation: ${path}`, key: `${t.source}->${c.name}`, data: { source: t.source, sink: c.name, sinkKind: what, sourceLine: t.row + 1, framework: t.entry?.framework ?? null, what: t.what, flow: path } });
  }
}

/** A callable the model picked: `functions[name](**args)`, `get_function(name)(...)`, a name holding the model's choice. */
export function dynamicDispatch(flow: Flow, node: Node, fnNode: Node, scopeFn: Node | undefined): void {
  const { taint } = flow;
  if (!(fnNode.type === "call" || fnNode.type === "subscript" || (fnNode.type === "identifier" && (taint.tainted.has(fnNode.text) || taint.global.has(fnNode.text))))) return;
  const t = taint.mentions(fnNode);
  if (t?.kind !== "model" || approvedBefore(flow, node, scopeFn)) return;
  flow.report({
    kind: "code.dynamic-tool-dispatch",
    ...at(node),
    message: `${where(node.startPosition.row)} calls the function the model names (${shortText(fnNode) ?? "a computed callable"}), from the model answer at ${where(t.row)}, with no approval step before it runs`,
    key: `dispatch:${shortText(fnNode)?.replace(/\s+/g, "") ?? node.startPosition.row}`,
    data: { callee: shortText(fnNode) ?? "a computed callable", source: t.source, sourceLine: t.row + 1, sourceAt: where(t.row) },
  });
}

/** An approval call, or a prompt for confirmation, earlier in the same scope. */
function approvedBefore(flow: Flow, node: Node, scopeFn: Node | undefined): boolean {
  const approvalRe = new RegExp(flow.F.approvalCalls, "i");
  const scopeText = scopeFn?.text ?? "";
  return flow.file.calls.some((x) => (scopeFn ? flow.fns.around.get(x.node.id) === scopeFn : true) && x.node.startIndex < node.startIndex && approvalRe.test(x.name)) || (!!scopeText && /\binput\(|confirm|approve/i.test(scopeText.slice(0, node.startIndex - (scopeFn?.startIndex ?? 0))));
}

/** A retrieval store written with input from a route anyone can call: anyone can plant text other users' prompts are built from. */
export function retrievalWrite(flow: Flow, c: PyCall): void {
  if (!anyName(flow.F.retrievalWrites, c.name)) return;
  const t = [...c.positional, ...c.kwargs.values()].map((a) => flow.taint.mentions(a)).find((x) => x?.kind === "input" && x.entry && !x.entry.authenticated && x.entry.framework !== "streamlit" && x.entry.framework !== "gradio");
  if (!t?.entry) return;
  flow.report({
    kind: "code.unauthenticated-retrieval-write",
    ...at(c.node),
    message: `${t.entry.framework} route ${t.entry.name} (${where(t.entry.row)}) has no authentication and writes ${t.what} from ${where(t.row)} into the retrieval store (${c.name}) at ${where(c.node.startPosition.row)}: anyone can plant text that other users' prompts are built from`,
    key: `retrieval-write:${t.entry.name}:${c.name}`,
    data: { framework: t.entry.framework, entry: t.entry.name, call: c.name, what: t.what, entryAt: where(t.entry.row) },
  });
}
