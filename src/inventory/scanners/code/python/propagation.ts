// Reading one scope of a Python file (the module or a function body) in source order, without
// recursion (tree-walk.ts eventsIn; nested functions, classes and lambdas are their own scopes):
// what assignments, augmented assignments, for loops, walrus and `as` targets do with taint,
// returns and yields that make a function's calls tainted (its callers are read again), and
// calls (calls.ts). A loop's body is read twice, so a value set late in one iteration reaches the
// next one's earlier lines.
import type { Node } from "web-tree-sitter";
import { ScopeEvents } from "../tree-walk.js";
import { onCall } from "./calls.js";
import type { Flow } from "./flow-state.js";
import { noteOwnKeyClients } from "./limits.js";
import { isTemplate } from "./syntax.js";
import { setTaint } from "./taint.js";

const FLOW_EVENTS = new Set(["assignment", "augmented_assignment", "for_statement", "call", "return_statement", "yield", "as_pattern", "named_expression"]);
const SCOPE_BARRIERS = new Set(["function_definition", "class_definition", "lambda"]);

/** Reads a function (or the module, for undefined) with what flows into it now. */
export function readScope(flow: Flow, scopeFn: Node | undefined): void {
  enterScope(flow, scopeFn);
  const start = scopeFn ? (scopeFn.childForFieldName("body") ?? scopeFn) : flow.file.root;
  const { scopes } = flow.file;
  for (const node of scopes.of(start, () => scopeEvents(scopes, start, scopeFn))) onEvent(flow, node, scopeFn);
}

/** The index of a Python file's scopes (tree-walk.ts ScopeEvents). */
export const pythonScopes = (root: Node) => new ScopeEvents(root, FLOW_EVENTS, SCOPE_BARRIERS, ["while_statement", "for_statement"]);

/** A scope's events in source order, then again those inside a loop. */
function scopeEvents(scopes: ScopeEvents, start: Node, scopeFn: Node | undefined): Node[] {
  const events = scopes.eventsOf(start, scopeFn);
  // A loop's body is read twice: a value assigned late in one iteration reaches the next one's
  // earlier lines (`while True: run(last); last = ask_model(...)`).
  // The file's loops (one query of its root) that lie in the scope, nested functions' included, as
  // numbers: a node's position is read out of the tree at each access.
  const loops = scopes.loopsIn(start).slice(0, 200);
  const inLoop = (n: Node) => {
    const [from, to, id] = [n.startIndex, n.endIndex, n.id];
    return loops.some((l) => from >= l.start && to <= l.end && id !== l.id);
  };
  const again = loops.length ? events.filter(inLoop) : [];
  return again.length ? [...events, ...again] : events;
}

/** The scope's starting taint: its class's self.x and its parameters' seeds (module-level taint is read through). */
function enterScope(flow: Flow, scopeFn: Node | undefined): void {
  const { taint } = flow;
  taint.tainted = new Map();
  taint.scopeEntry = scopeFn ? flow.entries.byFn.get(scopeFn.id) : undefined;
  if (!taint.scopeEntry && !scopeFn) taint.scopeEntry = flow.entries.streamlit;
  if (scopeFn) {
    const cls = flow.fns.classOf.get(scopeFn.id);
    for (const [k, t] of (cls && taint.byClass.get(cls.id)) ?? []) taint.tainted.set(k, t);
    for (const [k, t] of flow.seeds.of(scopeFn)) taint.tainted.set(k, t);
  }
  taint.invalidate();
}

function onEvent(flow: Flow, node: Node, scopeFn: Node | undefined): void {
  const { taint } = flow;
  switch (node.type) {
    case "assignment":
      onAssignment(flow, node, scopeFn);
      break;
    case "augmented_assignment":
    case "for_statement": {
      const t = taint.mentions(node.childForFieldName("right"));
      if (t) for (const x of targetsOf(node.childForFieldName("left"))) setTaint(flow, x, t, scopeFn);
      break;
    }
    case "named_expression": {
      const t = taint.mentions(node.childForFieldName("value"));
      const name = node.childForFieldName("name");
      if (t && name) setTaint(flow, name, t, scopeFn);
      break;
    }
    case "as_pattern": {
      const alias = node.childForFieldName("alias")?.namedChildren[0];
      const t = taint.mentions(node.namedChildren[0]);
      if (t && alias) for (const x of targetsOf(alias)) setTaint(flow, x, t, scopeFn);
      break;
    }
    case "return_statement":
    case "yield":
      onReturn(flow, node, scopeFn);
      break;
    case "call":
      onCall(flow, node, scopeFn);
      break;
  }
}

/** `a = b = value`, read once from its outermost assignment: every target gets what the value mentions. */
function onAssignment(flow: Flow, node: Node, scopeFn: Node | undefined): void {
  const { chains } = flow.file;
  if (chains.inner.has(node.id)) return;
  const ch = chains.of.get(node.id);
  if (!ch) return;
  const t = flow.taint.mentions(ch.value);
  if (!t) return;
  noteOwnKeyClients(flow, ch);
  // Input built into a template on its way to the model is pasted into a prompt (model-calls.ts).
  const t2 = t.kind === "input" && isTemplate(ch.value) && !t.templated ? { ...t, templated: true } : t;
  for (const l of ch.targets) for (const x of targetsOf(l)) setTaint(flow, x, t2, scopeFn);
}

/** A function that returns (or yields) a tainted value taints its calls: every scope that calls it is read again. */
function onReturn(flow: Flow, node: Node, scopeFn: Node | undefined): void {
  const t = flow.taint.mentions(node.namedChildren[0]);
  // A parameter returned is the caller's own value, not a source.
  if (!t || t.kind === "param" || !scopeFn || flow.returns.has(scopeFn.id)) return;
  flow.returns.set(scopeFn.id, t);
  flow.taint.invalidate();
  for (const caller of flow.fns.callersOf.get(scopeFn.id) ?? []) flow.work.enqueueCaller(caller);
}

/** The names an assignment target sets: a name, an attribute chain, a subscript's container, or every name of a pattern. */
const targetsOf = (left: Node | null): Node[] =>
  left?.type === "identifier" || left?.type === "attribute" || left?.type === "subscript"
    ? [left.type === "subscript" ? (left.childForFieldName("value") ?? left) : left]
    : (left?.descendantsOfType("identifier").filter((x): x is Node => !!x) ?? []);
