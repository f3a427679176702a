// The file's own functions: which nodes are functions, the names calls and tool definitions know
// them by, which are exported (and under what name other files import them), their parameters,
// the function around each call and who calls whom inside the file.
import type { Node } from "web-tree-sitter";
import { innermostFunctions, nodesOf, nodesWithin } from "../tree-walk.js";
import type { JsCall } from "./names.js";

// "function" is also the keyword's (unnamed) token type in these grammars, so keyword tokens are
// listed among the functions too: they hold nothing and are read as empty scopes.
export const FUNCTION_TYPES = new Set([
  "function_declaration",
  "function_expression",
  "arrow_function",
  "method_definition",
  "generator_function_declaration",
  "function",
]);

export interface Param {
  name: string;
  node: Node;
}

export interface OwnFunctions {
  /** Every function node, in source order. */
  list: Node[];
  byId: Map<number, Node>;
  /** The functions a call by a plain name reaches: named functions (methods aside) and `const f = () => ...`. */
  byName: Map<string, Node>;
  /** Functions in an export statement. */
  exported: Set<number>;
  /** The name other files import a function by (`default` for the default export). */
  keys: Map<number, string>;
  /** The innermost function around each call (undefined at module level). */
  around: Map<number, Node | undefined>;
  /** The function each call of a plain name calls, and the functions (undefined: module level) calling each. */
  calleeOf: Map<number, Node>;
  callersOf: Map<number, Set<Node | undefined>>;
  nameOf(fn: Node): string;
  paramsOf(fn: Node): Param[];
}

/**
 * Functions by name: those of `list` that `named` keeps, by their own name, then the functions
 * declared as variables (`const f = () => ...`), which win over a same-named one.
 */
export function functionsByName(list: Node[], declarators: Node[], named: (fn: Node) => boolean): Map<string, Node> {
  const byName = new Map<string, Node>();
  for (const fn of list) {
    const n = fn.childForFieldName("name")?.text;
    if (n && named(fn)) byName.set(n, fn);
  }
  for (const d of declarators) {
    const v = d.childForFieldName("value");
    const n = d.childForFieldName("name");
    if (v && FUNCTION_TYPES.has(v.type) && n?.type === "identifier") byName.set(n.text, v);
  }
  return byName;
}

export function ownFunctions(root: Node, declarators: Node[], calls: JsCall[]): OwnFunctions {
  const list = nodesOf(root, ...FUNCTION_TYPES);
  const byName = functionsByName(list, declarators, (fn) => fn.type !== "method_definition");
  const around = innermostFunctions(
    root,
    calls.map((c) => c.node),
    [...FUNCTION_TYPES],
  );
  const exports = nodesOf(root, "export_statement");
  const namesById = new Map<number, string>();
  for (const [n, x] of byName) namesById.set(x.id, n);
  const { calleeOf, callersOf } = callGraph(calls, byName, around);
  return {
    list,
    byId: new Map(list.map((fn) => [fn.id, fn] as const)),
    byName,
    exported: exportedFunctions(exports, declarators),
    keys: importKeys(byName, exports),
    around,
    calleeOf,
    callersOf,
    nameOf: (fn) => fn.childForFieldName("name")?.text ?? namesById.get(fn.id) ?? "(anonymous)",
    paramsOf,
  };
}

/** `declarators`: every variable_declarator of the file in source order (each export's are found among them by place, not by a query of its subtree). */
function exportedFunctions(exports: Node[], declarators: Node[]): Set<number> {
  const exported = new Set<number>();
  for (const e of exports) {
    const decl =
      e.childForFieldName("declaration") ?? e.namedChildren.find((x) => x?.type === "function_declaration" || x?.type === "lexical_declaration") ?? null;
    if (!decl) continue;
    if (FUNCTION_TYPES.has(decl.type)) exported.add(decl.id);
    for (const d of nodesWithin(declarators, decl)) {
      const v = d.childForFieldName("value");
      if (v && FUNCTION_TYPES.has(v.type)) exported.add(v.id);
    }
    // `export default function handler(req, res)`
    const def = e.namedChildren.find((x) => x && FUNCTION_TYPES.has(x.type));
    if (def) exported.add(def.id);
  }
  return exported;
}

function importKeys(byName: Map<string, Node>, exports: Node[]): Map<number, string> {
  const keys = new Map<number, string>();
  for (const [n, fn] of byName) keys.set(fn.id, n);
  for (const e of exports) {
    const def = e.namedChildren.find((x) => x && FUNCTION_TYPES.has(x.type));
    if (def && /^export\s+default\b/.test(e.text)) keys.set(def.id, "default");
  }
  return keys;
}

function callGraph(calls: JsCall[], byName: Map<string, Node>, around: Map<number, Node | undefined>) {
  const calleeOf = new Map<number, Node>();
  const callersOf = new Map<number, Set<Node | undefined>>();
  for (const c of calls) {
    const fnNode = c.node.type === "new_expression" ? null : c.node.childForFieldName("function");
    const fn = fnNode?.type === "identifier" ? byName.get(fnNode.text) : undefined;
    if (!fn) continue;
    calleeOf.set(c.node.id, fn);
    let s = callersOf.get(fn.id);
    if (!s) callersOf.set(fn.id, (s = new Set()));
    s.add(around.get(c.node.id));
  }
  return { calleeOf, callersOf };
}

function paramsOf(fn: Node): Param[] {
  const ps: Param[] = [];
  const list = fn.childForFieldName("parameters") ?? fn.childForFieldName("parameter");
  if (list?.type === "identifier") return [{ name: list.text, node: list }];
  for (const p of list?.namedChildren ?? []) {
    if (!p) continue;
    const id =
      p.type === "identifier"
        ? p
        : (p.childForFieldName("pattern") ?? p.namedChildren.find((c) => c?.type === "identifier" || c?.type === "object_pattern") ?? null);
    if (id?.type === "identifier") ps.push({ name: id.text, node: id });
    else if (id?.type === "object_pattern")
      for (const x of id.descendantsOfType(["shorthand_property_identifier_pattern", "identifier"])) if (x) ps.push({ name: x.text, node: x });
  }
  return ps;
}
