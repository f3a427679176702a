// How taint moves inside the file: declarations and (chained) assignments, destructuring,
// for-of/in loops, containers filled by calls (`parts.push(x)`), arguments of the file's own
// functions (their parameters are read again), returns (their callers are read again), and
// arguments handed to other files' functions (summary passes).
import type { Node } from "web-tree-sitter";
import { reachSink } from "../flow-hits.js";
import { noteHandedOn } from "../flow-steps.js";
import { byok } from "./model-calls.js";
import { isTemplate, type JsCall } from "./names.js";
import type { FlowPass } from "./pass.js";
import { crossUses } from "./summary.js";

/** The names an assignment's left side binds: itself, or the names in a pattern. */
const targetsOf = (left: Node | null): Node[] =>
  left?.type === "identifier" || left?.type === "member_expression"
    ? [left]
    : (left?.descendantsOfType(["identifier", "shorthand_property_identifier_pattern"]).filter((x): x is Node => !!x) ?? []);

/** `const x = ...`, `a = b = ...`, `x += ...`: the right side's taint to every left side (an HTML property is a sink). */
export function onAssignment(p: FlowPass, node: Node, chainInner: Set<number>): void {
  if (chainInner.has(node.id)) return;
  const isDecl = node.type === "variable_declarator";
  const lefts: { left: Node; assignment: Node }[] = [];
  let cur: Node = node;
  let right: Node | null = null;
  for (;;) {
    const left = cur.childForFieldName(cur === node && isDecl ? "name" : "left");
    if (left) lefts.push({ left, assignment: cur });
    right = cur.childForFieldName(cur === node && isDecl ? "value" : "right");
    if (right?.type !== "assignment_expression") break;
    chainInner.add(right.id);
    cur = right;
  }
  const t0 = p.mentions(right);
  if (!t0) return;
  if (right && (right.type === "new_expression" || right.type === "call_expression" || right.type === "await_expression") && byok(p, right))
    for (const { left } of lefts) if (left.type === "identifier") p.ownKeyClients.add(left.text);
  const t = t0.kind === "input" && right && isTemplate(right) && !t0.templated ? { ...t0, templated: true } : t0;
  for (const { left, assignment } of lefts) {
    const prop = left.type === "member_expression" ? (left.childForFieldName("property")?.text ?? "") : "";
    if (p.F.htmlProperties.includes(prop)) {
      reachSink(p.report, p.cross, { node: assignment, name: prop, what: `.${prop}`, kind: "html", htmlKey: prop }, t);
      continue;
    }
    for (const x of targetsOf(left)) p.setTaint(x, t);
  }
}

/** `for (const x of xs)`: the loop variable holds what the collection holds. */
export function onForIn(p: FlowPass, node: Node): void {
  const t = p.mentions(node.childForFieldName("right"));
  if (t) for (const x of targetsOf(node.childForFieldName("left"))) p.setTaint(x, t);
}

export function onReturn(p: FlowPass, node: Node, scopeFn: Node | undefined): void {
  const t = p.mentions(node.namedChildren[0]);
  if (t && t.kind !== "param" && scopeFn && !p.returns.has(scopeFn.id)) p.setReturn(scopeFn, t);
}

/** An arrow function whose body is an expression returns it. */
export function onArrowBody(p: FlowPass, scopeFn: Node): void {
  const body = scopeFn.childForFieldName("body");
  if (!body || body.type === "statement_block" || p.returns.has(scopeFn.id)) return;
  const t = p.mentions(body);
  if (t && t.kind !== "param") p.setReturn(scopeFn, t);
}

/** A call's arguments: into a container, into the parameters of the file's own function, to another file's function. */
export function passArguments(p: FlowPass, node: Node, c: JsCall, fnNode: Node | null): void {
  // Containers: `parts.push(answer)`.
  if (fnNode?.type === "member_expression" && /^(push|unshift|concat|set|add|append)$/.test(fnNode.childForFieldName("property")?.text ?? "")) {
    const t = c.args.map((a) => p.mentions(a)).find(Boolean);
    const obj = fnNode.childForFieldName("object");
    if (t && obj && (obj.type === "identifier" || obj.type === "member_expression")) p.setTaint(obj, t);
  }
  const callee = p.file.fns.calleeOf.get(node.id);
  if (callee) {
    const ps = p.file.fns.paramsOf(callee);
    c.args.forEach((a, i) => {
      const t = p.mentions(a);
      if (t && ps[i] && p.seeds.seed(callee, ps[i]!.name, t)) p.queue.enqueue(callee);
      if (p.cross?.symbolic && p.handedOn.length < 1000) noteHandedOn(p.handedOn, t, callee, i);
    });
  }
  const elsewhere = p.crossCallee.get(node.id);
  if (p.cross && elsewhere) crossUses(p, p.cross, node, c, elsewhere);
}
