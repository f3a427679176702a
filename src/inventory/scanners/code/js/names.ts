// What the names of a JavaScript/TypeScript file stand for: ES imports and require() give modules
// and aliases, declarations give types (`import OpenAI from "openai"; const c = new OpenAI()` makes
// `c.chat.completions.create` openai().chat.completions.create), and every call gets the qualified
// name of what it calls. Also the string literals, built strings and object literals the other
// parts read.
import type { Node } from "web-tree-sitter";
import { shortText, nodesOf } from "../tree-walk.js";

/** A string literal's text (a template without substitutions counts), else undefined. */
export function jsString(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "string")
    return node.namedChildren
      .filter((c) => c?.type === "string_fragment")
      .map((c) => c!.text)
      .join("");
  if (node.type === "template_string" && !node.namedChildren.some((c) => c?.type === "template_substitution"))
    return node.namedChildren
      .filter((c) => c?.type === "string_fragment")
      .map((c) => c!.text)
      .join("");
  return undefined;
}

/** A string built from parts: a template with substitutions, or `+` with a string in it. */
export function isTemplate(n: Node): boolean {
  return (
    (n.type === "template_string" && n.namedChildren.some((c) => c?.type === "template_substitution")) ||
    (n.type === "binary_expression" && n.childForFieldName("operator")?.text === "+" && n.descendantsOfType(["string", "template_string"]).length > 0)
  );
}

/** The properties of an object literal by key (`{ revision: "..." }`); empty for anything else. */
export function objectProps(obj: Node | undefined): Map<string, Node> {
  const m = new Map<string, Node>();
  if (obj?.type !== "object") return m;
  for (const p of obj.namedChildren) {
    if (p?.type !== "pair") continue;
    const k = p.childForFieldName("key");
    const v = p.childForFieldName("value");
    const key = k?.type === "string" ? jsString(k) : k?.text;
    if (key && v) m.set(key, v);
  }
  return m;
}

export interface JsCall {
  node: Node;
  /** The qualified name of what it calls (or constructs). */
  name: string;
  args: Node[];
  /** Properties of a trailing object-literal argument (`{ revision: "..." }`). */
  options: Map<string, Node>;
}

export interface JsNames {
  /** The qualified name of an expression, "?" when it has none. */
  qname(n: Node | null | undefined): string;
  /** Whether the file imports or requires a module starting with one of `roots`. */
  importsAny(roots: string[]): boolean;
  /** Every call and `new`, in source order. */
  calls: JsCall[];
  /** The calls by their node's id. */
  callAt: Map<number, JsCall>;
}

/** Imported names and what they stand for, and the modules imported. */
interface Scope {
  aliases: Map<string, string>;
  modules: Set<string>;
  /** Variables holding something named (`const c = new OpenAI()`): the qualified name. */
  types: Map<string, string>;
}

export function resolveNames(root: Node, declarators: Node[]): JsNames {
  const scope: Scope = { aliases: new Map(), modules: new Set(), types: new Map() };
  readImports(root, scope);
  const qname = (n: Node | null | undefined) => qualifiedName(scope, n);
  readDeclarations(declarators, scope, qname);
  const calls: JsCall[] = nodesOf(root, "call_expression", "new_expression").map((node) => {
    const args = (node.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
    const fn = node.type === "new_expression" ? node.childForFieldName("constructor") : node.childForFieldName("function");
    return { node, name: qname(fn), args, options: objectProps(args[args.length - 1]) };
  });
  // Asked with the same few lists many times: answered once per list.
  const importsSeen = new Map<string[], boolean>();
  const importsAny = (roots: string[]) => {
    let v = importsSeen.get(roots);
    if (v === undefined) importsSeen.set(roots, (v = [...scope.modules].some((m) => roots.some((r) => m.startsWith(r)))));
    return v;
  };
  return { qname, importsAny, calls, callAt: new Map(calls.map((c) => [c.node.id, c] as const)) };
}

function readImports(root: Node, scope: Scope): void {
  for (const imp of nodesOf(root, "import_statement")) {
    const mod = jsString(imp.childForFieldName("source")) ?? "";
    scope.modules.add(mod);
    const clause = imp.namedChildren.find((c) => c?.type === "import_clause");
    for (const c of clause?.namedChildren ?? []) {
      if (!c) continue;
      if (c.type === "identifier") scope.aliases.set(c.text, mod);
      else if (c.type === "namespace_import") scope.aliases.set(c.namedChildren.find((x) => x?.type === "identifier")?.text ?? "", mod);
      else if (c.type === "named_imports")
        for (const s of c.namedChildren) {
          if (s?.type !== "import_specifier") continue;
          const name = s.childForFieldName("name")?.text ?? "";
          scope.aliases.set(s.childForFieldName("alias")?.text ?? name, `${mod}.${name}`);
        }
    }
  }
}

/** `const x = require("m")`, `const { a } = require("m")` and variables holding something named. */
function readDeclarations(declarators: Node[], scope: Scope, qname: (n: Node | null | undefined) => string): void {
  for (const d of declarators) {
    const name = d.childForFieldName("name");
    const value = d.childForFieldName("value");
    if (!name || !value) continue;
    const q = qname(value);
    const isRequire = value.type === "call_expression" && value.childForFieldName("function")?.text === "require";
    if (
      name.type === "identifier" &&
      q !== "?" &&
      (q.includes(".") || q.includes("(") || q.includes("/") || scope.modules.has(q) || value.type === "call_expression")
    ) {
      if (isRequire) {
        scope.aliases.set(name.text, q);
        scope.modules.add(q);
      } else scope.types.set(name.text, q);
    } else if (name.type === "object_pattern" && isRequire) {
      const mod = jsString(value.childForFieldName("arguments")?.namedChildren[0]) ?? "?";
      scope.modules.add(mod);
      for (const p of name.namedChildren) if (p?.type === "shorthand_property_identifier_pattern") scope.aliases.set(p.text, `${mod}.${p.text}`);
    }
  }
}

function qualifiedName(scope: Scope, n: Node | null | undefined, depth = 0): string {
  if (!n || depth > 20) return "?";
  switch (n.type) {
    case "identifier":
      return scope.types.get(n.text) ?? scope.aliases.get(n.text) ?? n.text;
    case "member_expression": {
      const full = shortText(n)?.replace(/\s+/g, "");
      if (full !== undefined && scope.types.has(full)) return scope.types.get(full)!;
      return `${qualifiedName(scope, n.childForFieldName("object"), depth + 1)}.${n.childForFieldName("property")?.text ?? "?"}`;
    }
    case "call_expression": {
      const fn = n.childForFieldName("function");
      if (fn?.type === "identifier" && fn.text === "require") return jsString(n.childForFieldName("arguments")?.namedChildren[0]) ?? "?";
      return `${qualifiedName(scope, fn, depth + 1)}()`;
    }
    case "new_expression":
      return `${qualifiedName(scope, n.childForFieldName("constructor"), depth + 1)}()`;
    case "await_expression":
    case "parenthesized_expression":
    case "non_null_expression":
    case "as_expression":
      return qualifiedName(scope, n.namedChildren[0], depth + 1);
    default:
      return "?";
  }
}
