// What the names of a Python file stand for: imports give modules and aliases (`np.load` is
// numpy.load), assignments give types file-wide (`client = OpenAI()` makes `client.chat...`
// openai.OpenAI().chat...; flow-insensitive: good enough to name a client, the data flow is
// ordered), the file's own functions give the type they return, and string constants their value.
// Every call gets the qualified name of what it calls, with its positional and keyword arguments.
import type { Node } from "web-tree-sitter";
import { EXTERNAL_PYTHON_ROOTS } from "../external-modules.js";
import { innermostFunctions, shortText, nodesOf } from "../tree-walk.js";
import { pyString, type AssignmentChain } from "./syntax.js";

export interface PyCall {
  node: Node;
  /** The qualified name of what it calls ("?" where unknown). */
  name: string;
  positional: Node[];
  kwargs: Map<string, Node>;
}

export interface PyNames {
  /** Modules the file imports (`import a.b`: a.b; `from a.b import c`: a.b). */
  imported: Set<string>;
  /** String constants by name (`MODEL = "gpt2"`). */
  constants: Map<string, string>;
  /** The qualified name of an expression: "?" where unknown. */
  qname(n: Node | null | undefined): string;
  /** Whether the file imports one of these module roots. */
  importsAny(roots: string[]): boolean;
  /** True for a call's qualified name that names a function another file of the repository may define. */
  elsewhere(qname: string): boolean;
}

/** Local names to qualified names: imports, and the types assignments and own functions give. */
interface Tables {
  aliases: Map<string, string>;
  types: Map<string, string>;
  localReturns: Map<string, string>;
}

/** Imports: local name -> qualified name, and the modules imported. */
function readImports(root: Node): { aliases: Map<string, string>; imported: Set<string> } {
  const aliases = new Map<string, string>();
  const imported = new Set<string>();
  for (const imp of nodesOf(root, "import_statement")) {
    for (const c of imp.namedChildren) {
      if (!c) continue;
      if (c.type === "dotted_name") {
        aliases.set(c.text.split(".")[0]!, c.text.split(".")[0]!);
        imported.add(c.text);
      } else if (c.type === "aliased_import") {
        const name = c.childForFieldName("name")?.text ?? "";
        aliases.set(c.childForFieldName("alias")?.text ?? name, name);
        imported.add(name);
      }
    }
  }
  for (const imp of nodesOf(root, "import_from_statement")) {
    const mod = imp.childForFieldName("module_name")?.text ?? "";
    imported.add(mod);
    for (const c of imp.childrenForFieldName("name")) {
      if (!c) continue;
      // `from . import x` is ".x", `from .m import x` ".m.x".
      const sep = mod.endsWith(".") ? "" : ".";
      if (c.type === "aliased_import") aliases.set(c.childForFieldName("alias")?.text ?? "", `${mod}${sep}${c.childForFieldName("name")?.text}`);
      else aliases.set(c.text, `${mod}${sep}${c.text}`);
    }
  }
  return { aliases, imported };
}

function qualifiedName(t: Tables, n: Node | null | undefined, depth = 0): string {
  if (!n || depth > 20) return "?";
  switch (n.type) {
    case "identifier": {
      const name = n.text;
      return t.types.get(name) ?? t.aliases.get(name) ?? name;
    }
    case "attribute": {
      const full = shortText(n)?.replace(/\s+/g, "");
      if (full !== undefined && t.types.has(full)) return t.types.get(full)!;
      return `${qualifiedName(t, n.childForFieldName("object"), depth + 1)}.${n.childForFieldName("attribute")?.text ?? "?"}`;
    }
    case "call": {
      const fn = n.childForFieldName("function");
      // A call of the file's own function: the type of what it returns, when known.
      if (fn?.type === "identifier" && t.localReturns.has(fn.text) && !t.aliases.has(fn.text)) return t.localReturns.get(fn.text)!;
      return `${qualifiedName(t, fn, depth + 1)}()`;
    }
    case "await":
      return qualifiedName(t, n.namedChildren[0], depth + 1);
    case "parenthesized_expression":
      return qualifiedName(t, n.namedChildren[0], depth + 1);
    case "binary_operator": {
      // `prompt | llm | parser`: a LangChain chain takes the type of its first typed operand.
      const l = qualifiedName(t, n.childForFieldName("left"), depth + 1);
      return l.includes(".") ? l : qualifiedName(t, n.childForFieldName("right"), depth + 1);
    }
    default:
      return "?";
  }
}

/** Types and string constants from `x = Something()` and `X = "..."` assignments, file-wide. */
function assignTypes(chains: readonly AssignmentChain[], t: Tables, constants: Map<string, string>): void {
  for (const ch of chains) {
    const right = ch.value;
    if (!right) continue;
    for (const left of ch.targets) {
      if (right.type === "string" && left.type === "identifier") {
        const v = pyString(right);
        if (v !== undefined) constants.set(left.text, v);
      }
      if ((left.type === "identifier" || left.type === "attribute") && ["call", "binary_operator", "await", "attribute"].includes(right.type)) {
        const key = shortText(left)?.replace(/\s+/g, "");
        if (key === undefined) continue;
        // `model = torch.compile(model)`: a wrapper keeps the type the name already has.
        const first = right.type === "call" ? right.childForFieldName("arguments")?.namedChildren[0] : undefined;
        if (
          t.types.has(key) &&
          first &&
          shortText(first)?.replace(/\s+/g, "") === key &&
          !/from_pretrained|Chain|Model/.test(right.childForFieldName("function")?.text ?? "")
        )
          continue;
        const q = qualifiedName(t, right);
        if (q !== "?" && q.includes(".")) t.types.set(key, q);
      }
    }
  }
}

/** What the file's own functions return (`def get_chain(): ... return ConversationalRetrievalChain...`). */
function localReturnTypes(root: Node, t: Tables): void {
  const returns = nodesOf(root, "return_statement");
  const returnsIn = innermostFunctions(root, returns, ["function_definition"]);
  for (const r of returns) {
    const name = returnsIn.get(r.id)?.childForFieldName("name")?.text;
    const value = r.namedChildren[0];
    if (!name || !value || t.localReturns.has(name)) continue;
    const q = qualifiedName(t, value);
    if (q !== "?" && q.includes(".")) t.localReturns.set(name, q);
  }
}

/** The file's names: imports, then the types assignments give, then again with what its functions return. */
export function resolveNames(root: Node, chains: readonly AssignmentChain[]): PyNames {
  const { aliases, imported } = readImports(root);
  const t: Tables = { aliases, types: new Map(), localReturns: new Map() };
  const constants = new Map<string, string>();
  assignTypes(chains, t, constants);
  localReturnTypes(root, t);
  if (t.localReturns.size) assignTypes(chains, t, constants);
  const importsSeen = new Map<string[], boolean>();
  const importsAny = (roots: string[]) => {
    let v = importsSeen.get(roots);
    if (v === undefined) importsSeen.set(roots, (v = [...imported].some((m) => roots.some((r) => m === r || m.startsWith(r + ".") || m.startsWith(r)))));
    return v;
  };
  // Modules that may be the repository's own: relative, or not a known library.
  const ownModules = [...imported].filter((m) => m.startsWith(".") || (m !== "" && !EXTERNAL_PYTHON_ROOTS.has(m.split(".")[0]!)));
  const elsewhere = (q: string) => !q.startsWith("?") && ownModules.some((m) => q.startsWith(m.endsWith(".") ? m : `${m}.`));
  return { imported, constants, qname: (n) => qualifiedName(t, n), importsAny, elsewhere };
}

/** Every call of the file in source order, named, with its arguments. */
export function readCalls(root: Node, qname: PyNames["qname"]): PyCall[] {
  return nodesOf(root, "call").map((node) => {
    const positional: Node[] = [];
    const kwargs = new Map<string, Node>();
    for (const a of node.childForFieldName("arguments")?.namedChildren ?? []) {
      if (!a) continue;
      if (a.type === "keyword_argument") {
        const k = a.childForFieldName("name")?.text;
        const v = a.childForFieldName("value");
        if (k && v) kwargs.set(k, v);
      } else if (a.type !== "comment") positional.push(a);
    }
    return { node, name: qname(node.childForFieldName("function")), positional, kwargs };
  });
}
