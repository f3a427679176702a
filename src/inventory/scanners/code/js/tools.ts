// Tools given to a model: LangChain.js tools (DynamicTool, tool()), MCP servers' tools, and
// function schemas in OpenAI or Anthropic form, with the function that runs each and whether it
// writes (a write call, or a fetch that posts).
import type { Node } from "web-tree-sitter";
import { anyName, codePatterns, matchesName } from "../patterns.js";
import { at } from "../places.js";
import { toolOfSchema, type LiteralReader } from "../tool-schema.js";
import { callsWithin, nodesOf } from "../tree-walk.js";
import type { JsFile } from "./context.js";
import { FUNCTION_TYPES, functionsByName } from "./functions.js";
import { jsString, objectProps, type JsCall } from "./names.js";

type AddTool = (name: string, framework: string, node: Node, body?: Node | null) => void;

/** Records the file's tools; returns the functions that run them (node id to the tool's name). */
export function findTools(file: JsFile): Map<number, string> {
  const toolFunctions = new Map<number, string>();
  const writes = new Map<number, string | undefined>();
  const writeIn = (fn: Node | null | undefined): string | undefined => {
    if (!fn) return undefined;
    if (!writes.has(fn.id)) writes.set(fn.id, firstWrite(file.names.calls, fn));
    return writes.get(fn.id);
  };
  const addTool: AddTool = (name, framework, node, body) => {
    if (body && FUNCTION_TYPES.has(body.type)) toolFunctions.set(body.id, name);
    const w = writeIn(body);
    file.out.tools.push({ name, framework, privileges: w ? ["write"] : [], writes: !!w, ...at(node), ...(w ? { writeEvidence: w } : {}) });
  };
  for (const c of file.names.calls) calledTool(file, c, addTool);
  // A schema names its function; the file's function declarations and `const f = ...` run it.
  const functions = functionsByName(file.fns.list, file.declarators, (fn) => fn.type === "function_declaration");
  for (const obj of nodesOf(file.root, "object")) schemaTool(obj, functions, addTool);
  return toolFunctions;
}

/** The first call in `fn` that writes, for the tool's message. */
function firstWrite(calls: JsCall[], fn: Node): string | undefined {
  const writeCalls = codePatterns().tools.writeCalls.js;
  for (const c of callsWithin(calls, fn)) {
    if (anyName(writeCalls, c.name)) return `${c.name}() at line ${c.node.startPosition.row + 1}`;
    if (c.name === "fetch" && /^(POST|PUT|PATCH|DELETE)$/i.test(jsString(c.options.get("method")) ?? ""))
      return `fetch(..., { method: "${jsString(c.options.get("method"))}" }) at line ${c.node.startPosition.row + 1}`;
  }
  return undefined;
}

/** `new DynamicTool({ name, func })`, LangChain's `tool(fn, { name })`, an MCP server's `.tool(name, ..., fn)`. */
function calledTool(file: JsFile, c: JsCall, addTool: AddTool): void {
  const last = c.name.split(".").pop() ?? "";
  if (c.node.type === "new_expression" && /^Dynamic(Structured)?Tool$/.test(last)) {
    const opts = objectProps(c.args[0]);
    const n = jsString(opts.get("name"));
    if (n) addTool(n, "langchain", c.node, opts.get("func"));
  } else if (matchesName("@langchain/*.tool", c.name)) {
    const n = jsString(objectProps(c.args[1]).get("name"));
    if (n) addTool(n, "langchain", c.node, c.args[0]);
  } else if ((c.name.endsWith(".tool") || c.name.endsWith(".registerTool")) && file.names.importsAny(["@modelcontextprotocol/"])) {
    const n = jsString(c.args[0]);
    if (n)
      addTool(
        n,
        "mcp",
        c.node,
        c.args.find((a) => FUNCTION_TYPES.has(a.type)),
      );
  }
}

/** A function schema in an object literal (../tool-schema.ts), tied to the function of the same name. */
function schemaTool(obj: Node, functions: Map<string, Node>, addTool: AddTool): void {
  const tool = toolOfSchema(objectProps(obj), OBJECTS);
  if (tool) addTool(tool.name, tool.framework, obj, functions.get(tool.name));
}

const OBJECTS: LiteralReader = { objectType: "object", text: jsString, nestedName: (fn) => jsString(objectProps(fn).get("name")) };
