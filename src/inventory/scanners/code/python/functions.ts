// The file's own functions and classes as the Python data flow sees them: functions by name, the
// class each method belongs to, their parameters (a method's self or cls left out), the key other
// files call them by ("f" for a top-level function, "C.m" for a method of a top-level class), and
// which call of the file calls which of its functions from which scope.
import type { Node } from "web-tree-sitter";
import { innermostFunctions, nodesOf } from "../tree-walk.js";
import type { PyFile } from "./context.js";
import type { PyCall } from "./names.js";

export interface Param {
  name: string;
  node: Node;
  default?: Node;
}

export interface OwnFunctions {
  /** Every function definition, in source order. */
  all: Node[];
  /** Every class definition, in source order. */
  classes: Node[];
  /** The innermost function around each call (by call node id); undefined at module level. */
  around: Map<number, Node | undefined>;
  /** The class of each method, by function node id. */
  classOf: Map<number, Node>;
  byName: Map<string, Node[]>;
  /** The names other files call: top-level functions ("f") and methods of top-level classes ("C.m"). */
  key: Map<number, string>;
  /** Top-level classes' names, by class node id. */
  topClasses: Map<number, string>;
  /** The file function each call calls, by call node id. */
  calleeOf: Map<number, Node>;
  /** The scopes that call each file function (undefined: the module), by function node id. */
  callersOf: Map<number, Set<Node | undefined>>;
}

/** A function's parameters, with their default values. */
export function paramsOf(fn: Node): Param[] {
  const ps: Param[] = [];
  for (const p of fn.childForFieldName("parameters")?.namedChildren ?? []) {
    if (!p) continue;
    const nameNode = p.type === "identifier" ? p : (p.childForFieldName("name") ?? p.namedChildren.find((c) => c?.type === "identifier") ?? null);
    if (!nameNode || nameNode.type !== "identifier") continue;
    ps.push({ name: nameNode.text, node: nameNode, ...(p.childForFieldName("value") ? { default: p.childForFieldName("value")! } : {}) });
  }
  return ps;
}

/** The parameters a caller passes: a method's self or cls left out. */
export function realParams(fns: OwnFunctions, fn: Node): Param[] {
  const ps = paramsOf(fn);
  return fns.classOf.has(fn.id) && ps.length && (ps[0]!.name === "self" || ps[0]!.name === "cls") ? ps.slice(1) : ps;
}

/** A class body's function definitions (decorated or not). */
export function methodsOf(cls: Node): Node[] {
  const out: Node[] = [];
  for (const m of cls.childForFieldName("body")?.namedChildren ?? []) {
    const def = m?.type === "decorated_definition" ? m.childForFieldName("definition") : m;
    if (def?.type === "function_definition") out.push(def);
  }
  return out;
}

export function ownFunctions(file: PyFile): OwnFunctions {
  const all = nodesOf(file.root, "function_definition");
  const classes = nodesOf(file.root, "class_definition");
  const classOf = new Map<number, Node>();
  for (const cls of classes) for (const def of methodsOf(cls)) classOf.set(def.id, cls);
  const byName = new Map<string, Node[]>();
  for (const fn of all) {
    const n = fn.childForFieldName("name")?.text ?? "";
    let same = byName.get(n);
    if (!same) byName.set(n, (same = []));
    same.push(fn);
  }
  const fns: OwnFunctions = {
    all,
    classes,
    around: innermostFunctions(
      file.root,
      file.calls.map((c) => c.node),
      ["function_definition"],
    ),
    classOf,
    byName,
    key: new Map(),
    topClasses: new Map(),
    calleeOf: new Map(),
    callersOf: new Map(),
  };
  keys(file, fns);
  for (const c of file.calls) {
    const fn = localCallee(fns, c);
    if (!fn) continue;
    fns.calleeOf.set(c.node.id, fn);
    let s = fns.callersOf.get(fn.id);
    if (!s) fns.callersOf.set(fn.id, (s = new Set()));
    s.add(fns.around.get(c.node.id));
  }
  return fns;
}

/** Top-level functions and classes, and the methods of top-level classes, by the names other files call. */
function keys(file: PyFile, fns: OwnFunctions): void {
  for (const st of file.root.namedChildren) {
    const def = st?.type === "decorated_definition" ? st.childForFieldName("definition") : st;
    if (def?.type === "function_definition") fns.key.set(def.id, def.childForFieldName("name")?.text ?? "?");
    if (def?.type === "class_definition") fns.topClasses.set(def.id, def.childForFieldName("name")?.text ?? "?");
  }
  for (const fn of fns.all) {
    const cls = fns.classOf.get(fn.id);
    const cn = cls ? fns.topClasses.get(cls.id) : undefined;
    if (cn) fns.key.set(fn.id, `${cn}.${fn.childForFieldName("name")?.text ?? "?"}`);
  }
}

/** The file function a call calls: a module-level function by its name, or a method of the caller's class through self or cls. */
function localCallee(fns: OwnFunctions, c: PyCall): Node | undefined {
  const fnNode = c.node.childForFieldName("function");
  if (fnNode?.type === "identifier") {
    const cands = fns.byName.get(fnNode.text);
    return cands?.find((x) => !fns.classOf.has(x.id)) ?? undefined;
  }
  if (fnNode?.type === "attribute" && ["self", "cls"].includes(fnNode.childForFieldName("object")?.text ?? "")) {
    const here = fns.around.get(c.node.id);
    const cls = here ? fns.classOf.get(here.id) : undefined;
    const name = fnNode.childForFieldName("attribute")?.text ?? "";
    return fns.byName.get(name)?.find((x) => fns.classOf.get(x.id) === cls);
  }
  return undefined;
}
