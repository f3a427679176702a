// Where taint must not arrive unchecked: calls that interpret their argument (eval, child
// processes, SQL text, fetch URLs, file paths), HTML (innerHTML, dangerouslySetInnerHTML), a
// callable the model names, and a retrieval store written by an unauthenticated entry point. In the
// summary pass, a parameter or another file's result reaching a sink is recorded for other files.
import type { Node } from "web-tree-sitter";
import type { Taint } from "../flow-taint.js";
import { anyName } from "../patterns.js";
import { sinkPhrase } from "../sinks.js";
import { addParamSink, addResultSink } from "../summary.js";
import { shortText, nodesOf } from "../tree-walk.js";
import { at, where } from "../places.js";
import type { JsCall } from "./names.js";
import type { FlowPass } from "./pass.js";

/** Taint `t` reaches the sink `sinkName` at `node` (`htmlKey`: the HTML property or attribute). */
export function onSink(p: FlowPass, node: Node, sinkName: string, what: string, kind: string, t: Taint, htmlKey?: string): void {
  const cross = p.cross;
  if (cross?.symbolic) {
    const line = node.startPosition.row + 1;
    const column = node.startPosition.column + 1;
    if (t.kind === "param") addParamSink(cross.summary, t.source, { index: t.index ?? 0, name: t.what, sink: sinkName, sinkKind: kind, line, column });
    else if (t.kind === "import") addResultSink(cross.summary, { callee: t.source, sink: sinkName, sinkKind: kind, calledAt: t.row + 1, line, column });
    return;
  }
  if (t.kind === "param" || t.kind === "import") return;
  const path = `${where(node.startPosition.row)} ${sinkPhrase(kind, `${t.kind === "model" ? "the model answer" : t.what} from ${where(t.row)}`)}`;
  if (t.kind === "model") {
    const message = htmlKey
      ? `model output from ${t.source}() is ${htmlKey === "dangerouslySetInnerHTML" ? `rendered with ${htmlKey}` : `written to .${htmlKey}`} without encoding: ${path}`
      : `model output from ${t.source}() reaches ${what} (${sinkName}) without encoding or validation: ${path}`;
    p.report({ kind: "code.output-to-sink", ...at(node), message, key: `${t.source}->${sinkName}`, data: { source: t.source, sink: sinkName, sinkKind: htmlKey ? "HTML" : what, sourceLine: t.row + 1, flow: path } });
  } else if (t.kind === "tool") {
    p.report({ kind: "code.tool-input-to-sink", ...at(node), message: `the tool "${t.tool}" passes the argument the model chooses to ${what} (${sinkName}): ${path}`, key: `${t.tool}->${sinkName}`, data: { tool: t.tool, sink: sinkName, sinkKind: what, sourceLine: t.row + 1, flow: path } });
  } else {
    p.report({ kind: "code.input-to-sink", ...at(node), message: `${t.what} (${t.source}) reaches ${what} (${sinkName}) without validation: ${path}`, key: `${t.source}->${sinkName}`, data: { source: t.source, sink: sinkName, sinkKind: what, sourceLine: t.row + 1, framework: t.entry?.framework ?? null, what: t.what, flow: path } });
  }
}

/** HTML sinks that are not calls: `el.innerHTML = x`, `dangerouslySetInnerHTML={...}`. */
export function htmlSinks(p: FlowPass): Node[] {
  const { htmlProperties, htmlAttributes } = p.F;
  return nodesOf(p.file.root, "assignment_expression", "jsx_attribute").filter((a) => (a.type === "assignment_expression" ? htmlProperties.includes(a.childForFieldName("left")?.childForFieldName("property")?.text ?? "") : htmlAttributes.includes(a.namedChildren[0]?.text ?? "")));
}

/** `dangerouslySetInnerHTML={{ __html: x }}` and the like. */
export function onJsxAttribute(p: FlowPass, node: Node): void {
  const name = node.namedChildren[0]?.text ?? "";
  if (!p.F.htmlAttributes.includes(name)) return;
  const t = p.mentions(node.namedChildren[1]);
  if (t) onSink(p, node, name, name, "html", t, name);
}

/** A callable the model picked (`tools[name](args)`) run with no approval step before it. */
export function checkDispatch(p: FlowPass, node: Node, fnNode: Node | null, scopeFn: Node | undefined): void {
  if (!fnNode || (fnNode.type !== "subscript_expression" && fnNode.type !== "call_expression")) return;
  const t = p.mentions(fnNode);
  if (t?.kind !== "model" || /confirm|approve|prompt\(/i.test(scopeFn?.text.slice(0, node.startIndex - scopeFn.startIndex) ?? "")) return;
  const callee = shortText(fnNode) ?? "a computed callable";
  p.report({ kind: "code.dynamic-tool-dispatch", ...at(node), message: `${where(node.startPosition.row)} calls the function the model names (${callee}), from the model answer at ${where(t.row)}, with no approval step before it runs`, key: `dispatch:${shortText(fnNode) ?? node.startPosition.row}`, data: { callee, source: t.source, sourceLine: t.row + 1, sourceAt: where(t.row) } });
}

/** An unauthenticated entry point writing its input into a retrieval store. */
export function checkRetrievalWrite(p: FlowPass, node: Node, c: JsCall): void {
  if (!anyName(p.F.retrievalWrites, c.name)) return;
  const t = c.args.map((a) => p.mentions(a)).find((x) => x?.kind === "input" && x.entry && !x.entry.authenticated);
  if (!t?.entry) return;
  const e = t.entry;
  p.report({ kind: "code.unauthenticated-retrieval-write", ...at(node), message: `${e.framework} ${e.framework === "nextjs" ? "route handler" : "entry point"} ${e.name} (${where(e.row)}) has no authentication and writes ${t.what} from ${where(t.row)} into the retrieval store (${c.name}) at ${where(node.startPosition.row)}: anyone can plant text that other users' prompts are built from`, key: `retrieval-write:${e.name}:${c.name}`, data: { framework: e.framework, entry: e.name, call: c.name, what: t.what, entryAt: where(e.row) } });
}

/** A call of a sink with a tainted argument (among the arguments that matter). */
export function checkCallSink(p: FlowPass, node: Node, c: JsCall): void {
  const sink = p.F.sinks.find((s) => anyName([s.pattern], c.name));
  if (!sink) return;
  const args = sink.args ? sink.args.map((i) => c.args[i]).filter((x): x is Node => !!x) : c.args;
  const t = args.map((a) => p.mentions(a)).find(Boolean);
  if (t) onSink(p, node, c.name, sink.what ?? c.name, sink.kind ?? "code", t);
}
