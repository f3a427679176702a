// Python rules over one tree-sitter tree: imports give qualified names (`np.load` is numpy.load,
// `client = OpenAI()` makes `client.chat...` openai.OpenAI().chat...), then each call is matched
// against the data in policies/code/patterns.json. Model output is followed within a function
// through assignments into sinks.
import type { Node, Tree } from "web-tree-sitter";
import { emptyAnalysis, foldRepeatedHits, type FileAnalysis } from "./model.js";
import { anyName, codePatterns, findPattern, matchesName } from "./patterns.js";
import { roundTripLoads } from "./round-trip.js";
import { findSecrets, namedSecret } from "./secrets.js";
import { isCommitHash } from "../dependencies/text.js";
import { pythonFlow } from "./flow-python.js";
import { callsWithin, innermostFunctions, outermost, shortText } from "./tree-walk.js";
import { emptySummary } from "./summary.js";
import { EXTERNAL_PYTHON_ROOTS } from "./external-modules.js";


/** String value of a Python string literal (no interpolation), or undefined. */
export function pyString(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== "string") return undefined;
  if (node.namedChildren.some((c) => c?.type === "interpolation")) return undefined;
  return node.namedChildren.filter((c) => c?.type === "string_content").map((c) => c!.text).join("");
}

interface Call {
  node: Node;
  name: string;
  positional: Node[];
  kwargs: Map<string, Node>;
}

export interface PythonOptions {
  /** The notebook cell of a 0-based row (notebooks only): module-level code in two cells is two scopes. */
  cellOf?: (row: number) => number;
  /** Summarise the file's data flow for other files (summary.ts); not for notebooks. */
  summarise?: boolean;
}

export function analyzePython(tree: Tree, text: string, options: PythonOptions = {}): FileAnalysis {
  const P = codePatterns();
  const out = emptyAnalysis();
  const root = tree.rootNode;
  const aliases = new Map<string, string>();
  const imported = new Set<string>();
  const constants = new Map<string, string>();
  const all = (type: string) => root.descendantsOfType(type).filter((n): n is Node => !!n);

  // Imports: local name -> qualified name.
  for (const imp of all("import_statement")) {
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
  for (const imp of all("import_from_statement")) {
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
  const importsSeen = new Map<string[], boolean>();
  const importsAny = (roots: string[]) => {
    let v = importsSeen.get(roots);
    if (v === undefined) importsSeen.set(roots, (v = [...imported].some((m) => roots.some((r) => m === r || m.startsWith(r + ".") || m.startsWith(r)))));
    return v;
  };

  // Qualified names, following `x = Something()` assignments file-wide (flow-insensitive: good
  // enough to name a client; the taint analysis below is ordered).
  const types = new Map<string, string>();
  const localReturns = new Map<string, string>();
  const qname = (n: Node | null | undefined, depth = 0): string => {
    if (!n || depth > 20) return "?";
    switch (n.type) {
      case "identifier":
        return types.get(n.text) ?? aliases.get(n.text) ?? n.text;
      case "attribute": {
        const full = shortText(n)?.replace(/\s+/g, "");
        if (full !== undefined && types.has(full)) return types.get(full)!;
        return `${qname(n.childForFieldName("object"), depth + 1)}.${n.childForFieldName("attribute")?.text ?? "?"}`;
      }
      case "call": {
        const fn = n.childForFieldName("function");
        // A call of the file's own function: the type of what it returns, when known.
        if (fn?.type === "identifier" && localReturns.has(fn.text) && !aliases.has(fn.text)) return localReturns.get(fn.text)!;
        return `${qname(fn, depth + 1)}()`;
      }
      case "await":
        return qname(n.namedChildren[0], depth + 1);
      case "parenthesized_expression":
        return qname(n.namedChildren[0], depth + 1);
      case "binary_operator": {
        // `prompt | llm | parser`: a LangChain chain takes the type of its first typed operand.
        const l = qname(n.childForFieldName("left"), depth + 1);
        return l.includes(".") ? l : qname(n.childForFieldName("right"), depth + 1);
      }
      default:
        return "?";
    }
  };
  // `a = b = c = value` is one statement: every target gets the value. Each chain is read once from
  // its outermost assignment (read per link, a long chain would cost the square of its length).
  const chains: AssignmentChain[] = [];
  const chainInner = new Set<number>();
  for (const a of all("assignment")) {
    if (chainInner.has(a.id)) continue;
    const ch = assignmentChain(a);
    for (const i of ch.inner) chainInner.add(i.id);
    chains.push(ch);
  }
  const assignTypes = () => {
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
          if (types.has(key) && first && shortText(first)?.replace(/\s+/g, "") === key && !/from_pretrained|Chain|Model/.test(right.childForFieldName("function")?.text ?? "")) continue;
          const q = qname(right);
          if (q !== "?" && q.includes(".")) types.set(key, q);
        }
      }
    }
  };
  assignTypes();
  // What the file's own functions return (`def get_chain(): ... return ConversationalRetrievalChain...`),
  // then the assignments again with those types.
  const fnDefs = all("function_definition");
  const returnsIn = innermostFunctions(root, all("return_statement"), ["function_definition"]);
  for (const r of all("return_statement")) {
    const fn = returnsIn.get(r.id);
    const name = fn?.childForFieldName("name")?.text;
    const value = r.namedChildren[0];
    if (!name || !value || localReturns.has(name)) continue;
    const q = qname(value);
    if (q !== "?" && q.includes(".")) localReturns.set(name, q);
  }
  void fnDefs;
  if (localReturns.size) assignTypes();
  const chainOf = new Map(chains.map((c) => [c.node.id, c] as const));

  const calls: Call[] = all("call").map((node) => {
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
  const isTrue = (n: Node | undefined) => n?.type === "true";
  const isFalse = (n: Node | undefined) => n?.type === "false";
  const at = (n: Node) => ({ row: n.startPosition.row, column: n.startPosition.column });
  const short = (name: string) => name.replace(/\(\)/g, "()");

  // LLM calls (and the evidence they are).
  const llmCalls = new Set<number>();
  const llmFound = calls.filter((c) => findPattern(P.llmCalls.python, c.name));
  // A call in a function that only judges or grades the system's output is not the system's model.
  const judging = new RegExp(P.evaluationContext.functions, "i");
  const around = innermostFunctions(root, llmFound.map((c) => c.node), ["function_definition"]);
  for (const c of llmFound) {
    const p = findPattern(P.llmCalls.python, c.name)!;
    llmCalls.add(c.node.id);
    const fn = around.get(c.node.id)?.childForFieldName("name")?.text;
    const evaluation = fn !== undefined && judging.test(fn) ? { evaluation: true } : {};
    out.evidence.push({ fact: "isLLM", ...at(c.node), what: `calls ${short(c.name)}`, ...evaluation });
    out.evidence.push({ fact: "isGenAI", ...at(c.node), what: `calls ${short(c.name)}`, ...evaluation });
    if (p.hosted) out.evidence.push({ fact: "modelHostedExternally", ...at(c.node), what: `calls the hosted API ${short(c.name)}`, ...evaluation });
  }

  // Loads of what the same function, test or notebook cell has just written are round trips.
  const roundTrips = roundTripLoads(root, calls, options.cellOf);
  for (const c of calls) {
    const where = at(c.node);
    // Unsafe model loading.
    if (roundTrips.has(c.node.id)) {
      // Reads back the file the code itself wrote just before: nobody else's file.
    } else if (anyName(P.unsafeLoaders.always, c.name)) {
      out.hits.push({ kind: "code.unsafe-load", ...where, message: `${short(c.name)}() deserialises with pickle: a crafted file runs code when loaded`, key: c.name, data: { loader: c.name, how: "deserialises with pickle" } });
    } else if (anyName(P.unsafeLoaders.torchLoad, c.name)) {
      if (isTrue(c.kwargs.get("weights_only"))) {
        out.hits.push({ kind: "code.torch-load-weights-only", ...where, message: `torch.load(weights_only=True)`, key: c.name, data: { loader: c.name } });
      } else {
        out.hits.push({ kind: "code.unsafe-load", ...where, message: `${short(c.name)}() without weights_only=True unpickles arbitrary objects: a crafted checkpoint runs code when loaded`, key: c.name, data: { loader: c.name, weightsOnly: false, how: "runs without weights_only=True, so it unpickles arbitrary objects" } });
      }
    } else if (anyName(P.unsafeLoaders.numpyLoad, c.name) && isTrue(c.kwargs.get("allow_pickle"))) {
      out.hits.push({ kind: "code.unsafe-load", ...where, message: `numpy.load(allow_pickle=True) unpickles object arrays: a crafted .npy/.npz runs code when loaded`, key: c.name, data: { loader: c.name, how: "with allow_pickle=True unpickles object arrays" } });
    } else if (anyName(P.unsafeLoaders.kerasLoad, c.name) && isFalse(c.kwargs.get("safe_mode"))) {
      out.hits.push({ kind: "code.unsafe-load", ...where, message: `${short(c.name)}(safe_mode=False) deserialises Lambda layers: a crafted model runs code when loaded`, key: c.name, data: { loader: c.name, how: "with safe_mode=False deserialises Lambda layers" } });
    }
    const dangerous = c.kwargs.get("allow_dangerous_deserialization");
    if (isTrue(dangerous)) {
      out.hits.push({ kind: "code.unsafe-load", ...at(c.node), message: `${short(c.name)}(allow_dangerous_deserialization=True) unpickles the stored index: a crafted file runs code when loaded`, key: `${c.name}:allow_dangerous_deserialization`, data: { loader: c.name, how: "with allow_dangerous_deserialization=True unpickles the stored index" } });
    }
    const remote = c.kwargs.get("trust_remote_code");
    if (isTrue(remote)) {
      const kw = remote!.parent!;
      out.hits.push({ kind: "code.trust-remote-code", ...at(kw), message: `${short(c.name)}(trust_remote_code=True) runs Python code downloaded with the model`, key: c.name, data: { call: c.name } });
    }
    // Hub downloads that are not models: datasets, prompts, torch.hub repositories.
    const other = P.downloads.pythonOther;
    const arg = (i: number, kw: string) => c.positional[i] ?? c.kwargs.get(kw);
    const literal = (n: Node | undefined) => pyString(n) ?? (n?.type === "identifier" ? constants.get(n.text) : undefined);
    if (anyName(other.datasets, c.name)) {
      const id = literal(arg(0, "path"));
      const revision = literal(c.kwargs.get("revision"));
      const local = id !== undefined && (other.localBuilders.includes(id) || /^(\.{0,2}\/|~|[A-Za-z]:\\)/.test(id));
      if (!local && !isCommitHash(revision)) {
        const what = id ? `the dataset "${id}"` : `the dataset named by ${shortText(arg(0, "path") ?? c.node)?.slice(0, 60) ?? "its argument"}`;
        out.hits.push({ kind: "code.unpinned-download", ...where, message: `${short(c.name)}() downloads ${what} from the hub ${revision ? `at revision "${revision}", a movable name,` : "without revision="} instead of a commit hash: the data can change under the same name`, key: `${c.name}:${id ?? ""}`, data: { call: c.name, model: id ?? null, revision: revision ?? null, what, pin: revision ? `at revision "${revision}", a movable name, instead of a commit hash` : "without revision= (a commit hash)", risk: "the data can change under the same name" } });
      }
    } else if (anyName(other.prompts, c.name)) {
      const id = literal(arg(0, "owner_repo_commit"));
      if (!/:[0-9a-f]{8,}$/i.test(id ?? "")) out.hits.push({ kind: "code.unpinned-download", ...where, message: `${short(c.name)}() downloads the prompt ${id ? `"${id}"` : "named by its argument"} from the LangChain Hub without a commit (owner/name:commit): its owner can change the instructions your model follows`, key: `${c.name}:${id ?? ""}`, data: { call: c.name, model: id ?? null, revision: null, what: `the prompt ${id ? `"${id}"` : "named by its argument"}`, pin: "from the LangChain Hub without a commit (owner/name:commit)", risk: "its owner can change the instructions your model follows" } });
    } else if (anyName(other.torchHub, c.name) && pyString(c.kwargs.get("source")) !== "local") {
      const id = literal(arg(0, "repo_or_dir"));
      if (!isCommitHash(id?.split(":")[1])) out.hits.push({ kind: "code.unpinned-download", ...where, message: `${short(c.name)}() downloads and runs the code of ${id ? `"${id}"` : "a GitHub repository"} without a commit (owner/repo:commit): the code can change under the same name`, key: `${c.name}:${id ?? ""}`, data: { call: c.name, model: id ?? null, revision: id?.split(":")[1] ?? null, what: `the code of ${id ? `"${id}"` : "a GitHub repository"}`, pin: "without a commit (owner/repo:commit)", risk: "the code can change under the same name, and it runs" } });
    }
    // Downloads without a pinned revision.
    if (anyName(P.downloads.python, c.name)) {
      // PeftModel.from_pretrained(base_model, adapter_id): the adapter is the download.
      const first = c.name.startsWith("peft.") ? c.positional[1] ?? c.kwargs.get("model_id") : c.positional[0] ?? c.kwargs.get("pretrained_model_name_or_path") ?? c.kwargs.get("repo_id") ?? c.kwargs.get("model_name_or_path") ?? c.kwargs.get("model");
      const id = pyString(first) ?? (first?.type === "identifier" ? constants.get(first.text) : undefined);
      const isPipeline = c.name.endsWith("pipeline");
      const modelId = isPipeline ? pyString(c.kwargs.get("model")) ?? (c.positional[1] ? pyString(c.positional[1]) : undefined) : id;
      const local = modelId !== undefined && /^(\.{0,2}\/|~|[A-Za-z]:\\)/.test(modelId);
      const rev = c.kwargs.get("revision");
      const revision = pyString(rev) ?? (rev?.type === "identifier" ? constants.get(rev.text) : undefined);
      if (modelId) out.models.push({ id: modelId, ...(revision ? { revision } : {}), row: where.row });
      if (!local && !isTrue(c.kwargs.get("local_files_only")) && !isCommitHash(revision)) {
        const named = first?.type === "identifier" || first?.type === "attribute" ? shortText(first)?.slice(0, 80) : undefined;
        const what = modelId ? `"${modelId}"` : isPipeline && !c.kwargs.has("model") && c.positional.length < 2 ? "the task's default model" : named ? `the model named by ${named}` : "a model";
        out.hits.push({
          kind: "code.unpinned-download",
          ...where,
          message: `${short(c.name)}() downloads ${what} ${revision ? `at revision "${revision}", a movable name,` : "without revision="} instead of a commit hash: the files can change under the same name`,
          key: `${c.name}:${modelId ?? named ?? ""}`,
          data: { call: c.name, model: modelId ?? null, revision: revision ?? null, what, pin: revision ? `at revision "${revision}", a movable name, instead of a commit hash` : "without revision= (a commit hash)", risk: "the files can change under the same name" },
        });
      }
    }
    // Evidence: training, retrieval.
    const ev = P.evidence;
    if (anyName(ev.trainsOrFinetunes.python, c.name) && importsAny(ev.trainsOrFinetunes.needsImport) && (!c.name.endsWith(".fit") || !c.name.startsWith("?") || importsAny(["sklearn", "keras", "tensorflow", "xgboost", "lightgbm"])))
      out.evidence.push({ fact: "trainsOrFinetunes", ...where, what: `calls ${short(c.name)}` });
    if (anyName(ev.usesRAG.python, c.name)) out.evidence.push({ fact: "usesRAG", ...where, what: `calls ${short(c.name)}` });
  }

  // Tools the code gives a model.
  const writes = new Map<number, string | undefined>();
  const writeIn = (fn: Node | null | undefined): string | undefined => {
    if (!fn) return undefined;
    if (!writes.has(fn.id)) writes.set(fn.id, findWrite(fn));
    return writes.get(fn.id);
  };
  const findWrite = (fn: Node): string | undefined => {
    for (const c of callsWithin(calls, fn)) {
      if (anyName(P.tools.writeCalls.python, c.name)) return `${short(c.name)}() at line ${c.node.startPosition.row + 1}`;
      if (c.name === "open") {
        const mode = pyString(c.positional[1] ?? c.kwargs.get("mode"));
        if (mode && /[wax+]/.test(mode)) return `open(..., "${mode}") at line ${c.node.startPosition.row + 1}`;
      }
    }
    return undefined;
  };
  const functions = new Map<string, Node>();
  for (const f of all("function_definition")) functions.set(f.childForFieldName("name")?.text ?? "", f);
  const toolBodies: { name: string; body: Node }[] = [];
  const addTool = (name: string, framework: string, privileges: string[], node: Node, body?: Node | null) => {
    if (body?.type === "function_definition") toolBodies.push({ name, body });
    const w = writeIn(body);
    const priv = new Set(privileges);
    if (w) priv.add("write");
    out.tools.push({ name, framework, privileges: [...priv], writes: !!w || privileges.some((p) => p !== "read" && p !== "network"), ...at(node), ...(w ? { writeEvidence: w } : {}) });
  };
  for (const c of calls) {
    const cls = c.name.split(".").pop()!;
    const known = P.tools.classes[cls];
    if (known && importsAny(["langchain", "langchain_community", "langchain_experimental", "langchain_core"])) addTool(known.name, "langchain", known.privileges, c.node);
    if (matchesName("langchain*load_tools", c.name)) {
      const list = c.positional[0];
      for (const item of list?.namedChildren ?? []) {
        const n = pyString(item);
        if (n) addTool(n, "langchain", P.tools.loadToolsNames[n] ?? [], item!);
      }
    }
    if (matchesName("langchain*Tool", c.name) || matchesName("langchain*Tool.from_function", c.name) || matchesName("langchain*StructuredTool.from_function", c.name)) {
      const n = pyString(c.kwargs.get("name"));
      const fnRef = c.kwargs.get("func") ?? c.positional[0];
      if (n) addTool(n, "langchain", [], c.node, fnRef?.type === "identifier" ? functions.get(fnRef.text) : undefined);
    }
  }
  for (const d of all("decorated_definition")) {
    const def = d.childForFieldName("definition");
    if (def?.type !== "function_definition") continue;
    for (const dec of d.namedChildren.filter((x) => x?.type === "decorator")) {
      const expr = dec!.namedChildren[0];
      const callee = expr?.type === "call" ? expr.childForFieldName("function") : expr;
      const q = qname(callee);
      const isLangchainTool = matchesName("langchain*.tool", q);
      const isMcpTool = q.endsWith(".tool") && (matchesName("mcp*", q) || matchesName("fastmcp*", q));
      if (!isLangchainTool && !isMcpTool) continue;
      let name = def.childForFieldName("name")?.text ?? "?";
      if (expr?.type === "call") {
        const args = expr.childForFieldName("arguments")?.namedChildren ?? [];
        const s = pyString(args[0]) ?? pyString(args.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "name")?.childForFieldName("value"));
        if (s) name = s;
      }
      addTool(name, isMcpTool ? "mcp" : "langchain", [], def, def);
    }
  }
  // OpenAI / Anthropic tool definitions as dict literals.
  for (const dict of all("dictionary")) {
    const entries = new Map<string, Node>();
    for (const pair of dict.namedChildren) {
      if (pair?.type !== "pair") continue;
      const k = pyString(pair.childForFieldName("key"));
      const v = pair.childForFieldName("value");
      if (k && v) entries.set(k, v);
    }
    let name: string | undefined;
    let framework = "";
    if (pyString(entries.get("type")) === "function" && entries.get("function")?.type === "dictionary") {
      const fn = entries.get("function")!;
      for (const pair of fn.namedChildren) if (pair?.type === "pair" && pyString(pair.childForFieldName("key")) === "name") name = pyString(pair.childForFieldName("value"));
      framework = "openai";
    } else if (entries.has("name") && entries.get("input_schema")?.type === "dictionary") {
      name = pyString(entries.get("name"));
      framework = "anthropic";
    } else if (pyString(entries.get("type")) === "function" && entries.has("name") && entries.get("parameters")?.type === "dictionary") {
      name = pyString(entries.get("name"));
      framework = "openai";
    }
    if (name) addTool(name, framework, [], dict, functions.get(name));
  }
  for (const t of out.tools) out.evidence.push({ fact: "hasAgency", row: t.row, column: t.column, what: `gives the model the tool "${t.name}" (${t.framework})` });

  // Data flow: model answers, untrusted input and model-chosen tool arguments to sinks, tools the
  // model dispatches, retrieval writes, model calls fed by users, prompts built from input, exposed UIs.
  const toolFunctions = new Map<number, string>();
  for (const t of toolBodies) toolFunctions.set(t.body.id, t.name);
  // Modules that may be the repository's own: relative, or not a known library.
  const ownModules = [...imported].filter((m) => m.startsWith(".") || (m !== "" && !EXTERNAL_PYTHON_ROOTS.has(m.split(".")[0]!)));
  const elsewhere = (q: string) => !q.startsWith("?") && ownModules.some((m) => q.startsWith(m.endsWith(".") ? m : `${m}.`));
  const flowInput = { root, text, calls, llmCalls, qname, chainOf, chainInner, toolFunctions, importsAny, elsewhere };
  if (options.summarise) {
    const summary = emptySummary("python");
    pythonFlow(flowInput, out, { summary, symbolic: false });
    try {
      pythonFlow(flowInput, emptyAnalysis(), { summary, symbolic: true });
    } catch {
      // The summary pass ran out of budget: other files learn only what the plain pass found.
    }
    out.summary = summary;
  } else pythonFlow(flowInput, out);

  // Secrets in string literals, and literal values for the providers' key variables.
  for (const s of outermost(all("string"))) {
    for (const h of findSecrets(s.text)) {
      out.hits.push({ kind: "code.secret", ...at(s), message: `${h.service} secret (${h.id}) committed in code: ${h.masked}`, key: `${h.id}:${h.hash}`, data: { service: h.service, pattern: h.id, masked: h.masked } });
    }
  }
  for (const a of [...all("assignment"), ...all("keyword_argument")]) {
    const isKw = a.type === "keyword_argument";
    const left = isKw ? a.childForFieldName("name") : a.childForFieldName("left");
    const right = isKw ? a.childForFieldName("value") : a.childForFieldName("right");
    const value = pyString(right);
    if (!left || value === undefined || findSecrets(value).length) continue;
    // os.environ["OPENAI_API_KEY"] = "..." and OPENAI_API_KEY = "..."
    const name = left.type === "subscript" ? pyString(left.childForFieldName("subscript")) ?? "" : left.text;
    const h = namedSecret(name, value) ?? (/^api_key$/i.test(name) ? namedSecret("OPENAI_API_KEY", value.length >= 20 ? value : "") : undefined);
    if (h) out.hits.push({ kind: "code.secret", ...at(right!), message: `literal value for ${name} committed in code: ${h.masked}`, key: `${name}:${h.hash}`, data: { service: name, pattern: h.id, masked: h.masked } });
  }

  foldRepeatedHits(out.hits, "code.unpinned-download");
  for (const c of all("comment")) {
    const line = text.slice(c.startIndex - c.startPosition.column, c.startIndex);
    out.comments.push({ text: c.text, row: c.startPosition.row, column: c.startPosition.column, standalone: line.trim() === "" });
  }
  return out;
}

interface AssignmentChain {
  node: Node;
  /** The left sides, outermost first. */
  targets: Node[];
  /** The value every target gets (the right side of the innermost assignment). */
  value: Node | null;
  /** The assignments nested in the chain (right sides that are assignments themselves). */
  inner: Node[];
}

function assignmentChain(a: Node): AssignmentChain {
  const targets: Node[] = [];
  const inner: Node[] = [];
  let cur: Node = a;
  for (;;) {
    const left = cur.childForFieldName("left");
    if (left) targets.push(left);
    const right = cur.childForFieldName("right");
    if (right?.type !== "assignment") return { node: a, targets, value: right, inner };
    inner.push(right);
    cur = right;
  }
}
