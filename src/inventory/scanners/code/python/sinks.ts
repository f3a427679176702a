// Where taint becomes a finding at a call of a Python file: a sink (shell, exec/eval, SQL text,
// HTML rendering, HTTP URLs, file paths, as the data lists them, with the arguments that count)
// reached by a model answer, untrusted input or a model-chosen tool argument, or in the symbolic
// pass by a parameter or another file's result (recorded in the summary instead); a callable the
// model named run with no approval step before it; a retrieval store written from a route anyone
// can call. The findings are worded in ../flow-hits.ts, what a sink does in ../sinks.ts.
import type { Node } from "web-tree-sitter";
import { dynamicDispatchHit, reachSink } from "../flow-hits.js";
import { anyName, findPatternWhere } from "../patterns.js";
import { at, where } from "../places.js";
import type { FlowSink } from "../sinks.js";
import { shortText } from "../tree-walk.js";
import type { Flow } from "./flow-state.js";
import type { PyCall } from "./names.js";

/** A sink call with a tainted argument (console input, typed by the person running the program, is theirs to run). */
export function sinkCall(flow: Flow, c: PyCall): void {
  const sink = findPatternWhere(flow.sinks, c.name, (s) => sinkApplies(c, s));
  if (!sink) return;
  const t = sinkArgs(c, sink)
    .map((a) => flow.taint.mentions(a))
    .find((x) => x && !x.local);
  if (t) reachSink(flow.report, flow.cross, { node: c.node, name: c.name, what: sink.what ?? c.name, kind: sink.kind ?? "code" }, t);
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

/** A callable the model picked: `functions[name](**args)`, `get_function(name)(...)`, a name holding the model's choice. */
export function dynamicDispatch(flow: Flow, node: Node, fnNode: Node, scopeFn: Node | undefined): void {
  const { taint } = flow;
  const type = fnNode.type;
  if (type === "identifier") {
    const name = fnNode.text;
    if (!taint.tainted.has(name) && !taint.global.has(name)) return;
  } else if (type !== "call" && type !== "subscript") return;
  const t = taint.mentions(fnNode);
  if (t?.kind !== "model" || approvedBefore(flow, node, scopeFn)) return;
  flow.report(dynamicDispatchHit(node, shortText(fnNode) ?? "a computed callable", t, shortText(fnNode)?.replace(/\s+/g, "") ?? node.startPosition.row));
}

/** An approval call, or a prompt for confirmation, earlier in the same scope. */
function approvedBefore(flow: Flow, node: Node, scopeFn: Node | undefined): boolean {
  const approvalRe = new RegExp(flow.F.approvalCalls, "i");
  const scopeText = scopeFn?.text ?? "";
  return (
    flow.file.calls.some(
      (x) => (scopeFn ? flow.fns.around.get(x.node.id) === scopeFn : true) && x.node.startIndex < node.startIndex && approvalRe.test(x.name),
    ) ||
    (!!scopeText && /\binput\(|confirm|approve/i.test(scopeText.slice(0, node.startIndex - (scopeFn?.startIndex ?? 0))))
  );
}

/** A retrieval store written with input from a route anyone can call: anyone can plant text other users' prompts are built from. */
export function retrievalWrite(flow: Flow, c: PyCall): void {
  if (!anyName(flow.F.retrievalWrites, c.name)) return;
  const t = [...c.positional, ...c.kwargs.values()]
    .map((a) => flow.taint.mentions(a))
    .find((x) => x?.kind === "input" && x.entry && !x.entry.authenticated && x.entry.framework !== "streamlit" && x.entry.framework !== "gradio");
  if (!t?.entry) return;
  flow.report({
    kind: "code.unauthenticated-retrieval-write",
    ...at(c.node),
    message: `${t.entry.framework} route ${t.entry.name} (${where(t.entry.row)}) has no authentication and writes ${t.what} from ${where(t.row)} into the retrieval store (${c.name}) at ${where(c.node.startPosition.row)}: anyone can plant text that other users' prompts are built from`,
    key: `retrieval-write:${t.entry.name}:${c.name}`,
    data: { framework: t.entry.framework, entry: t.entry.name, call: c.name, what: t.what, entryAt: where(t.entry.row) },
  });
}
