// Where taint must not arrive unchecked: calls that interpret their argument (eval, child
// processes, SQL text, fetch URLs, file paths), HTML (innerHTML, dangerouslySetInnerHTML), a
// callable the model names, and a retrieval store written by an unauthenticated entry point. In the
// summary pass, a parameter or another file's result reaching a sink is recorded for other files
// (../flow-hits.ts words the findings).
import type { Node } from "web-tree-sitter";
import { dynamicDispatchHit, reachSink } from "../flow-hits.js";
import { anyName, findPattern } from "../patterns.js";
import { at, where } from "../places.js";
import { nodesOf, shortText } from "../tree-walk.js";
import type { JsCall } from "./names.js";
import type { FlowPass } from "./pass.js";

/** HTML sinks that are not calls: `el.innerHTML = x`, `dangerouslySetInnerHTML={...}`. */
export function htmlSinks(p: FlowPass): Node[] {
  const { htmlProperties, htmlAttributes } = p.F;
  return nodesOf(p.file.root, "assignment_expression", "jsx_attribute").filter((a) =>
    a.type === "assignment_expression"
      ? htmlProperties.includes(a.childForFieldName("left")?.childForFieldName("property")?.text ?? "")
      : htmlAttributes.includes(a.namedChildren[0]?.text ?? ""),
  );
}

/** `dangerouslySetInnerHTML={{ __html: x }}` and the like. */
export function onJsxAttribute(p: FlowPass, node: Node): void {
  const name = node.namedChildren[0]?.text ?? "";
  if (!p.F.htmlAttributes.includes(name)) return;
  const t = p.mentions(node.namedChildren[1]);
  if (t) reachSink(p.report, p.cross, { node, name, what: name, kind: "html", htmlKey: name }, t);
}

/** A callable the model picked (`tools[name](args)`) run with no approval step before it. */
export function checkDispatch(p: FlowPass, node: Node, fnNode: Node | null, scopeFn: Node | undefined): void {
  if (!fnNode || (fnNode.type !== "subscript_expression" && fnNode.type !== "call_expression")) return;
  const t = p.mentions(fnNode);
  if (t?.kind !== "model" || /confirm|approve|prompt\(/i.test(scopeFn?.text.slice(0, node.startIndex - scopeFn.startIndex) ?? "")) return;
  p.report(dynamicDispatchHit(node, shortText(fnNode) ?? "a computed callable", t, shortText(fnNode) ?? node.startPosition.row));
}

/** An unauthenticated entry point writing its input into a retrieval store. */
export function checkRetrievalWrite(p: FlowPass, node: Node, c: JsCall): void {
  if (!anyName(p.F.retrievalWrites, c.name)) return;
  const t = c.args.map((a) => p.mentions(a)).find((x) => x?.kind === "input" && x.entry && !x.entry.authenticated);
  if (!t?.entry) return;
  const e = t.entry;
  p.report({
    kind: "code.unauthenticated-retrieval-write",
    ...at(node),
    message: `${e.framework} ${e.framework === "nextjs" ? "route handler" : "entry point"} ${e.name} (${where(e.row)}) has no authentication and writes ${t.what} from ${where(t.row)} into the retrieval store (${c.name}) at ${where(node.startPosition.row)}: anyone can plant text that other users' prompts are built from`,
    key: `retrieval-write:${e.name}:${c.name}`,
    data: { framework: e.framework, entry: e.name, call: c.name, what: t.what, entryAt: where(e.row) },
  });
}

/** A call of a sink with a tainted argument (among the arguments that matter). */
export function checkCallSink(p: FlowPass, node: Node, c: JsCall): void {
  const sink = findPattern(p.F.sinks, c.name);
  if (!sink) return;
  const args = sink.args ? sink.args.map((i) => c.args[i]).filter((x): x is Node => !!x) : c.args;
  const t = args.map((a) => p.mentions(a)).find(Boolean);
  if (t) reachSink(p.report, p.cross, { node, name: c.name, what: sink.what ?? c.name, kind: sink.kind ?? "code" }, t);
}
