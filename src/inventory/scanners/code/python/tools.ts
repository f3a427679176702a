// Tools a Python file gives a model: LangChain tool classes and load_tools names, Tool(...) and
// @tool functions, MCP server tools, and OpenAI/Anthropic tool schemas written as dict literals;
// each with its privileges, plus `write` when its function writes files or data. Also the methods
// of classes that describe themselves to the model as a tool (an OpenAI tool schema or a
// LangChain BaseTool): the data flow treats the parameters of both as chosen by the model.
import type { Node } from "web-tree-sitter";
import { anyName, codePatterns, matchesName } from "../patterns.js";
import { at } from "../places.js";
import { toolOfSchema, type LiteralReader } from "../tool-schema.js";
import { callsWithin, nodesOf } from "../tree-walk.js";
import type { PyFile } from "./context.js";
import { methodsOf } from "./functions.js";
import { pyString } from "./syntax.js";

type AddTool = (name: string, framework: string, privileges: string[], node: Node, body?: Node | null) => void;

/** Records the tools into file.out.tools; returns the function definitions that are tools, with the tool's name. */
export function toolsGiven(file: PyFile): Map<number, string> {
  const toolFunctions = new Map<number, string>();
  const writeIn = writesOf(file);
  const add: AddTool = (name, framework, privileges, node, body) => {
    if (body?.type === "function_definition") toolFunctions.set(body.id, name);
    const w = writeIn(body);
    const priv = new Set(privileges);
    if (w) priv.add("write");
    file.out.tools.push({
      name,
      framework,
      privileges: [...priv],
      writes: !!w || privileges.some((p) => p !== "read" && p !== "network"),
      ...at(node),
      ...(w ? { writeEvidence: w } : {}),
    });
  };
  // The file's functions by name (the last definition of a name wins).
  const functions = new Map<string, Node>();
  for (const f of nodesOf(file.root, "function_definition")) functions.set(f.childForFieldName("name")?.text ?? "", f);
  toolsFromCalls(file, add, functions);
  toolsFromDecorators(file, add);
  toolsFromSchemas(file, add, functions);
  return toolFunctions;
}

/** What shows a function writes (a write call, open() for writing), cached per function. */
function writesOf(file: PyFile): (fn: Node | null | undefined) => string | undefined {
  const writeCalls = codePatterns().tools.writeCalls.python;
  const writes = new Map<number, string | undefined>();
  const findWrite = (fn: Node): string | undefined => {
    for (const c of callsWithin(file.calls, fn)) {
      if (anyName(writeCalls, c.name)) return `${c.name}() at line ${c.node.startPosition.row + 1}`;
      if (c.name === "open") {
        const mode = pyString(c.positional[1] ?? c.kwargs.get("mode"));
        if (mode && /[wax+]/.test(mode)) return `open(..., "${mode}") at line ${c.node.startPosition.row + 1}`;
      }
    }
    return undefined;
  };
  return (fn) => {
    if (!fn) return undefined;
    if (!writes.has(fn.id)) writes.set(fn.id, findWrite(fn));
    return writes.get(fn.id);
  };
}

/** LangChain tool classes, load_tools(["..."]) and Tool(name=..., func=...). */
function toolsFromCalls(file: PyFile, add: AddTool, functions: Map<string, Node>): void {
  const T = codePatterns().tools;
  for (const c of file.calls) {
    const known = T.classes[c.name.split(".").pop()!];
    if (known && file.names.importsAny(LANGCHAIN)) add(known.name, "langchain", known.privileges, c.node);
    if (matchesName("langchain*load_tools", c.name)) {
      for (const item of c.positional[0]?.namedChildren ?? []) {
        const n = pyString(item);
        if (n) add(n, "langchain", T.loadToolsNames[n] ?? [], item!);
      }
    }
    if (
      matchesName("langchain*Tool", c.name) ||
      matchesName("langchain*Tool.from_function", c.name) ||
      matchesName("langchain*StructuredTool.from_function", c.name)
    ) {
      const n = pyString(c.kwargs.get("name"));
      const fnRef = c.kwargs.get("func") ?? c.positional[0];
      if (n) add(n, "langchain", [], c.node, fnRef?.type === "identifier" ? functions.get(fnRef.text) : undefined);
    }
  }
}

const LANGCHAIN = ["langchain", "langchain_community", "langchain_experimental", "langchain_core"];

/** Functions decorated as LangChain (@tool) or MCP (@mcp.tool()) tools, named by the decorator or the function. */
function toolsFromDecorators(file: PyFile, add: AddTool): void {
  for (const d of nodesOf(file.root, "decorated_definition")) {
    const def = d.childForFieldName("definition");
    if (def?.type !== "function_definition") continue;
    for (const dec of d.namedChildren.filter((x) => x?.type === "decorator")) {
      const expr = dec!.namedChildren[0];
      const q = file.names.qname(expr?.type === "call" ? expr.childForFieldName("function") : expr);
      const isLangchainTool = matchesName("langchain*.tool", q);
      const isMcpTool = q.endsWith(".tool") && (matchesName("mcp*", q) || matchesName("fastmcp*", q));
      if (!isLangchainTool && !isMcpTool) continue;
      let name = def.childForFieldName("name")?.text ?? "?";
      if (expr?.type === "call") {
        const args = expr.childForFieldName("arguments")?.namedChildren ?? [];
        const s =
          pyString(args[0]) ??
          pyString(args.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "name")?.childForFieldName("value"));
        if (s) name = s;
      }
      add(name, isMcpTool ? "mcp" : "langchain", [], def, def);
    }
  }
}

/** OpenAI and Anthropic tool definitions written as dict literals, tied to the function of the same name. */
function toolsFromSchemas(file: PyFile, add: AddTool, functions: Map<string, Node>): void {
  for (const dict of nodesOf(file.root, "dictionary")) {
    const entries = new Map<string, Node>();
    for (const pair of dict.namedChildren) {
      if (pair?.type !== "pair") continue;
      const k = pyString(pair.childForFieldName("key"));
      const v = pair.childForFieldName("value");
      if (k && v) entries.set(k, v);
    }
    const tool = toolOfSchema(entries, DICTS);
    if (tool) add(tool.name, tool.framework, [], dict, functions.get(tool.name));
  }
}

/** Dict literals as tool schemas are read (../tool-schema.ts); a nested function's last `name` counts. */
const DICTS: LiteralReader = {
  objectType: "dictionary",
  text: pyString,
  nestedName(fn) {
    let name: string | undefined;
    for (const pair of fn.namedChildren)
      if (pair?.type === "pair" && pyString(pair.childForFieldName("key")) === "name") name = pyString(pair.childForFieldName("value"));
    return name;
  },
};

/**
 * The `"name"` after the first `"type": "function"` of an OpenAI tool schema in `text`. Two searches:
 * one expression with a lazy gap between them searched to the end from every `"type": "function"`
 * that no name follows.
 */
export function schemaToolName(text: string): string | undefined {
  const type = /["']type["']\s*:\s*["']function["']/.exec(text);
  if (!type) return undefined;
  return /["']name["']\s*:\s*["']([\w.-]+)["']/.exec(text.slice(type.index + type[0].length))?.[1];
}

/**
 * Methods that run a class which describes itself to the model as a function (an OpenAI tool
 * schema in its body, or a LangChain BaseTool), with the tool's name, by function node id.
 */
export function toolClassMethods(classes: readonly Node[], toolMethods: readonly string[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const cls of classes) {
    const body = cls.childForFieldName("body");
    const bases = cls.childForFieldName("superclasses")?.text ?? "";
    const head = body?.text.slice(0, 20_000) ?? "";
    const schemaName = schemaToolName(head);
    const toolClassName = /BaseTool/.test(bases)
      ? (/\bname\s*(?::\s*str\s*)?=\s*["']([\w.-]+)["']/.exec(head)?.[1] ?? cls.childForFieldName("name")?.text)
      : undefined;
    const tool = schemaName ?? toolClassName;
    if (!tool) continue;
    for (const def of methodsOf(cls)) if (toolMethods.includes(def.childForFieldName("name")?.text ?? "")) out.set(def.id, tool);
  }
  return out;
}
