// JavaScript / TypeScript rules over one tree-sitter tree: ES imports and require() give qualified
// names (`import OpenAI from "openai"; const c = new OpenAI()` makes `c.chat.completions.create`
// openai().chat.completions.create), then calls, HTML sinks, tool definitions and secrets.
import type { Node, Tree } from "web-tree-sitter";
import { emptyAnalysis, foldRepeatedHits, type FileAnalysis } from "./model.js";
import { anyName, codePatterns, findPattern, matchesName } from "./patterns.js";
import { findSecrets, namedSecret } from "./secrets.js";
import { isCommitHash } from "../dependencies/text.js";
import { jsFlow } from "./flow-js.js";
import { emptySummary } from "./summary.js";
import { callsWithin, innermostFunctions, outermost, shortText } from "./tree-walk.js";

const FUNCTION_TYPES = new Set(["function_declaration", "function_expression", "arrow_function", "method_definition", "generator_function_declaration"]);

export function jsString(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "string") return node.namedChildren.filter((c) => c?.type === "string_fragment").map((c) => c!.text).join("");
  if (node.type === "template_string" && !node.namedChildren.some((c) => c?.type === "template_substitution"))
    return node.namedChildren.filter((c) => c?.type === "string_fragment").map((c) => c!.text).join("");
  return undefined;
}

interface Call {
  node: Node;
  name: string;
  args: Node[];
  /** Properties of a trailing object-literal argument (`{ revision: "..." }`). */
  options: Map<string, Node>;
}

const objectProps = (obj: Node | undefined): Map<string, Node> => {
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
};

export interface JsOptions {
  /** The file's path in the repository: Next.js route handlers are known by it. */
  path?: string;
  /** Summarise the file's data flow for other files (summary.ts). */
  summarise?: boolean;
}

export function analyzeJs(tree: Tree, text: string, options: JsOptions = {}): FileAnalysis {
  const P = codePatterns();
  const out = emptyAnalysis();
  const root = tree.rootNode;
  const all = (...types: string[]) => root.descendantsOfType(types).filter((n): n is Node => !!n);
  const aliases = new Map<string, string>();
  const modules = new Set<string>();

  for (const imp of all("import_statement")) {
    const mod = jsString(imp.childForFieldName("source")) ?? "";
    modules.add(mod);
    const clause = imp.namedChildren.find((c) => c?.type === "import_clause");
    for (const c of clause?.namedChildren ?? []) {
      if (!c) continue;
      if (c.type === "identifier") aliases.set(c.text, mod);
      else if (c.type === "namespace_import") aliases.set(c.namedChildren.find((x) => x?.type === "identifier")?.text ?? "", mod);
      else if (c.type === "named_imports")
        for (const s of c.namedChildren) {
          if (s?.type !== "import_specifier") continue;
          const name = s.childForFieldName("name")?.text ?? "";
          aliases.set(s.childForFieldName("alias")?.text ?? name, `${mod}.${name}`);
        }
    }
  }
  const types = new Map<string, string>();
  const qname = (n: Node | null | undefined, depth = 0): string => {
    if (!n || depth > 20) return "?";
    switch (n.type) {
      case "identifier":
        return types.get(n.text) ?? aliases.get(n.text) ?? n.text;
      case "member_expression": {
        const full = shortText(n)?.replace(/\s+/g, "");
        if (full !== undefined && types.has(full)) return types.get(full)!;
        return `${qname(n.childForFieldName("object"), depth + 1)}.${n.childForFieldName("property")?.text ?? "?"}`;
      }
      case "call_expression": {
        const fn = n.childForFieldName("function");
        if (fn?.type === "identifier" && fn.text === "require") return jsString(n.childForFieldName("arguments")?.namedChildren[0]) ?? "?";
        return `${qname(fn, depth + 1)}()`;
      }
      case "new_expression":
        return `${qname(n.childForFieldName("constructor"), depth + 1)}()`;
      case "await_expression":
      case "parenthesized_expression":
      case "non_null_expression":
      case "as_expression":
        return qname(n.namedChildren[0], depth + 1);
      default:
        return "?";
    }
  };
  for (const d of all("variable_declarator")) {
    const name = d.childForFieldName("name");
    const value = d.childForFieldName("value");
    if (!name || !value) continue;
    const q = qname(value);
    if (name.type === "identifier" && q !== "?" && (q.includes(".") || q.includes("(") || q.includes("/") || modules.has(q) || value.type === "call_expression")) {
      if (value.type === "call_expression" && value.childForFieldName("function")?.text === "require") {
        aliases.set(name.text, q);
        modules.add(q);
      } else types.set(name.text, q);
    } else if (name.type === "object_pattern" && value.type === "call_expression" && value.childForFieldName("function")?.text === "require") {
      const mod = jsString(value.childForFieldName("arguments")?.namedChildren[0]) ?? "?";
      modules.add(mod);
      for (const p of name.namedChildren) if (p?.type === "shorthand_property_identifier_pattern") aliases.set(p.text, `${mod}.${p.text}`);
    }
  }
  const at = (n: Node) => ({ row: n.startPosition.row, column: n.startPosition.column });

  const calls: Call[] = all("call_expression", "new_expression").map((node) => {
    const args = (node.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
    const fn = node.type === "new_expression" ? node.childForFieldName("constructor") : node.childForFieldName("function");
    return { node, name: qname(fn), args, options: objectProps(args[args.length - 1]) };
  });
  const llmCalls = new Set<number>();
  const llmFound = calls.filter((c) => c.node.type !== "new_expression" && findPattern(P.llmCalls.js, c.name));
  // A call in a function that only judges or grades the system's output is not the system's model.
  const judging = new RegExp(P.evaluationContext.functions, "i");
  const around = innermostFunctions(root, llmFound.map((c) => c.node), ["function_declaration", "method_definition"]);
  for (const c of llmFound) {
    const p = findPattern(P.llmCalls.js, c.name)!;
    llmCalls.add(c.node.id);
    const fn = around.get(c.node.id)?.childForFieldName("name")?.text;
    const evaluation = fn !== undefined && judging.test(fn) ? { evaluation: true } : {};
    out.evidence.push({ fact: "isLLM", ...at(c.node), what: `calls ${c.name}`, ...evaluation });
    out.evidence.push({ fact: "isGenAI", ...at(c.node), what: `calls ${c.name}`, ...evaluation });
    if (p.hosted) out.evidence.push({ fact: "modelHostedExternally", ...at(c.node), what: `calls the hosted API ${c.name}`, ...evaluation });
  }
  const importsSeen = new Map<string[], boolean>();
  const importsAny = (roots: string[]) => {
    let v = importsSeen.get(roots);
    if (v === undefined) importsSeen.set(roots, (v = [...modules].some((m) => roots.some((r) => m.startsWith(r)))));
    return v;
  };
  for (const c of calls) {
    if (anyName(P.downloads.js, c.name)) {
      const isPipeline = c.name.endsWith(".pipeline");
      const modelId = jsString(isPipeline ? c.args[1] : c.args[0]);
      const revision = jsString(c.options.get("revision"));
      if (modelId) out.models.push({ id: modelId, ...(revision ? { revision } : {}), row: c.node.startPosition.row });
      if (!isCommitHash(revision) && !(modelId && /^(\.{0,2}\/)/.test(modelId))) {
        out.hits.push({ kind: "code.unpinned-download", ...at(c.node), message: `${c.name}() downloads ${modelId ? `"${modelId}"` : "a model"} without a commit-hash revision: the files can change under the same name`, key: `${c.name}:${modelId ?? ""}`, data: { call: c.name, model: modelId ?? null, revision: revision ?? null, what: modelId ? `"${modelId}"` : "a model", pin: revision ? `at revision "${revision}", a movable name, instead of a commit hash` : "without a commit-hash revision", risk: "the files can change under the same name" } });
      }
    }
    if (anyName(P.downloads.jsPrompts, c.name)) {
      const id = jsString(c.args[0]);
      if (!/:[0-9a-f]{8,}$/i.test(id ?? "")) out.hits.push({ kind: "code.unpinned-download", ...at(c.node), message: `${c.name}() downloads the prompt ${id ? `"${id}"` : "named by its argument"} from the LangChain Hub without a commit (owner/name:commit): its owner can change the instructions your model follows`, key: `${c.name}:${id ?? ""}`, data: { call: c.name, model: id ?? null, revision: null, what: `the prompt ${id ? `"${id}"` : "named by its argument"}`, pin: "from the LangChain Hub without a commit (owner/name:commit)", risk: "its owner can change the instructions your model follows" } });
    }
    if (anyName(P.evidence.trainsOrFinetunes.js, c.name) && importsAny(P.evidence.trainsOrFinetunes.needsImport)) out.evidence.push({ fact: "trainsOrFinetunes", ...at(c.node), what: `calls ${c.name}` });
    if (anyName(P.evidence.usesRAG.js, c.name)) out.evidence.push({ fact: "usesRAG", ...at(c.node), what: `calls ${c.name}` });
  }

  // Tools.
  const writes = new Map<number, string | undefined>();
  const writeIn = (fn: Node | null | undefined): string | undefined => {
    if (!fn) return undefined;
    if (!writes.has(fn.id)) writes.set(fn.id, findWrite(fn));
    return writes.get(fn.id);
  };
  const findWrite = (fn: Node): string | undefined => {
    for (const c of callsWithin(calls, fn)) {
      if (anyName(P.tools.writeCalls.js, c.name)) return `${c.name}() at line ${c.node.startPosition.row + 1}`;
      if (c.name === "fetch" && /^(POST|PUT|PATCH|DELETE)$/i.test(jsString(c.options.get("method")) ?? "")) return `fetch(..., { method: "${jsString(c.options.get("method"))}" }) at line ${c.node.startPosition.row + 1}`;
    }
    return undefined;
  };
  const functions = new Map<string, Node>();
  for (const f of all("function_declaration")) functions.set(f.childForFieldName("name")?.text ?? "", f);
  for (const d of all("variable_declarator")) {
    const v = d.childForFieldName("value");
    if (v && FUNCTION_TYPES.has(v.type)) functions.set(d.childForFieldName("name")?.text ?? "", v);
  }
  const toolBodies: { name: string; body: Node }[] = [];
  const addTool = (name: string, framework: string, node: Node, body?: Node | null) => {
    if (body && FUNCTION_TYPES.has(body.type)) toolBodies.push({ name, body });
    const w = writeIn(body);
    out.tools.push({ name, framework, privileges: w ? ["write"] : [], writes: !!w, ...at(node), ...(w ? { writeEvidence: w } : {}) });
  };
  for (const c of calls) {
    const last = c.name.split(".").pop() ?? "";
    if (c.node.type === "new_expression" && /^Dynamic(Structured)?Tool$/.test(last)) {
      const opts = objectProps(c.args[0]);
      const n = jsString(opts.get("name"));
      if (n) addTool(n, "langchain", c.node, opts.get("func"));
    } else if (matchesName("@langchain/*.tool", c.name)) {
      const n = jsString(objectProps(c.args[1]).get("name"));
      if (n) addTool(n, "langchain", c.node, c.args[0]);
    } else if ((c.name.endsWith(".tool") || c.name.endsWith(".registerTool")) && importsAny(["@modelcontextprotocol/"])) {
      const n = jsString(c.args[0]);
      if (n) addTool(n, "mcp", c.node, c.args.find((a) => FUNCTION_TYPES.has(a.type)));
    }
  }
  for (const obj of all("object")) {
    const props = objectProps(obj);
    let name: string | undefined;
    let framework = "";
    if (jsString(props.get("type")) === "function" && props.get("function")?.type === "object") {
      name = jsString(objectProps(props.get("function")).get("name"));
      framework = "openai";
    } else if (props.has("name") && props.get("input_schema")?.type === "object") {
      name = jsString(props.get("name"));
      framework = "anthropic";
    } else if (jsString(props.get("type")) === "function" && props.has("name") && props.get("parameters")?.type === "object") {
      name = jsString(props.get("name"));
      framework = "openai";
    }
    if (name) addTool(name, framework, obj, functions.get(name));
  }
  for (const t of out.tools) out.evidence.push({ fact: "hasAgency", row: t.row, column: t.column, what: `gives the model the tool "${t.name}" (${t.framework})` });

  // Data flow: model answers, untrusted input and model-chosen tool arguments to sinks, tools the
  // model dispatches, retrieval writes, model calls fed by users, prompts built from input.
  const toolFunctions = new Map<number, string>();
  for (const t of toolBodies) toolFunctions.set(t.body.id, t.name);
  const flowInput = { root, text, path: options.path, calls: calls.map((c) => ({ node: c.node, name: c.name, args: c.args })), llmCalls, qname, toolFunctions, importsAny };
  if (options.summarise) {
    const summary = emptySummary("js");
    jsFlow(flowInput, out, { summary, symbolic: false });
    try {
      jsFlow(flowInput, emptyAnalysis(), { summary, symbolic: true });
    } catch {
      // The summary pass ran out of budget: other files learn only what the plain pass found.
    }
    out.summary = summary;
  } else jsFlow(flowInput, out);

  for (const s of outermost(all("string", "template_string"))) {
    for (const h of findSecrets(s.text)) out.hits.push({ kind: "code.secret", ...at(s), message: `${h.service} secret (${h.id}) committed in code: ${h.masked}`, key: `${h.id}:${h.hash}`, data: { service: h.service, pattern: h.id, masked: h.masked } });
  }
  for (const p of all("pair", "variable_declarator", "assignment_expression")) {
    const k = p.childForFieldName(p.type === "pair" ? "key" : p.type === "variable_declarator" ? "name" : "left");
    const v = p.childForFieldName(p.type === "pair" ? "value" : p.type === "variable_declarator" ? "value" : "right");
    const value = jsString(v);
    if (!k || value === undefined || findSecrets(value).length) continue;
    const name = (k.type === "member_expression" ? k.childForFieldName("property")?.text : k.type === "string" ? jsString(k) : k.text) ?? "";
    const h = namedSecret(name, value) ?? (/^api_?key$/i.test(name) && value.length >= 20 ? namedSecret("OPENAI_API_KEY", value) : undefined);
    if (h) out.hits.push({ kind: "code.secret", ...at(v!), message: `literal value for ${name} committed in code: ${h.masked}`, key: `${name}:${h.hash}`, data: { service: name, pattern: h.id, masked: h.masked } });
  }
  foldRepeatedHits(out.hits, "code.unpinned-download");
  for (const c of all("comment")) {
    const line = text.slice(c.startIndex - c.startPosition.column, c.startIndex);
    out.comments.push({ text: c.text, row: c.startPosition.row, column: c.startPosition.column, standalone: line.trim() === "" });
  }
  return out;
}
