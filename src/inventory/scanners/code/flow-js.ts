// Data flow in one JavaScript/TypeScript file, the counterpart of flow-python.ts: model answers
// (OpenAI, Anthropic, Vercel AI SDK, LangChain.js runnables invoked, streamed or batched), untrusted
// input (the request of Next.js route handlers, pages/api handlers, server actions and Express
// routes) and model-chosen tool arguments, to sinks (eval, child processes, SQL text, HTML:
// innerHTML, dangerouslySetInnerHTML; fetch URLs, file paths), through declarations,
// assignments, members, containers, template strings, returns and calls of the file's own
// functions. Also: callables the model picks, unauthenticated routes that write into a retrieval
// store, model calls fed by users with no rate limiting, and input pasted into prompt templates.
// Linear per read of a scope, no recursion; a scope is read again only when new taint reaches it.
import { addCallers, summariseReturns, taintRef, type Entry, type Taint } from "./flow-taint.js";
import type { Node } from "web-tree-sitter";
import type { FileAnalysis, Hit } from "./model.js";
import { anyName, codePatterns } from "./patterns.js";
import { sinkPhrase, type FlowSink } from "./sinks.js";
import { eventsIn, innermostFunctions, SubtreeSearch, searchBudget, shortText } from "./tree-walk.js";
import { addParamSink, addResultSink, addUse, type FlowSummary } from "./summary.js";

export interface JsCall {
  node: Node;
  name: string;
  args: Node[];
}

export interface JsFlowInput {
  root: Node;
  text: string;
  /** The file's path in the repository (Next.js route handlers are known by their path). */
  path?: string;
  calls: JsCall[];
  llmCalls: Set<number>;
  qname(n: Node | null | undefined): string;
  /** Function nodes registered as tools, with the tool's name. */
  toolFunctions: Map<number, string>;
  importsAny(roots: string[]): boolean;
}

export interface JsFlowData {
  sinks: FlowSink[];
  htmlProperties: string[];
  htmlAttributes: string[];
  sanitizers: string[];
  retrievalWrites: string[];
  routeFiles: string;
  routeMethods: string[];
  expressApps: string[];
  expressMethods: string[];
  authNames: string;
  rateLimitModules: string[];
}

const FUNCTION_TYPES = new Set(["function_declaration", "function_expression", "arrow_function", "method_definition", "generator_function_declaration", "function"]);
const FLOW_EVENTS = new Set(["variable_declarator", "assignment_expression", "augmented_assignment_expression", "call_expression", "new_expression", "jsx_attribute", "return_statement", "for_in_statement"]);
const MAX_VISITS = 6;
/** Options that cap what one model call generates. */
const TOKEN_CAP = /^(max_tokens|maxTokens|maxOutputTokens|max_output_tokens|max_completion_tokens|maxCompletionTokens)$/;

/** As PyCrossFile (flow-python.ts): the plain pass and the symbolic summary pass. */
export interface JsCrossFile {
  summary: FlowSummary;
  symbolic: boolean;
}

/** A module specifier of the repository's own files: relative, or the `@/` root alias. */
const OWN_MODULE = /^(\.{1,2}\/|@\/)/;

export function jsFlow(f: JsFlowInput, out: FileAnalysis, cross?: JsCrossFile): void {
  const F = codePatterns().flow.js;
  const { root, calls } = f;
  const at = (n: Node) => ({ row: n.startPosition.row, column: n.startPosition.column });
  const where = (row: number) => `{at:${row}}`;
  const callById = new Map(calls.map((c) => [c.node.id, c] as const));
  const all = (...types: string[]) => root.descendantsOfType(types).filter((n): n is Node => !!n);
  const authRe = new RegExp(F.authNames, "i");
  const rateLimited = F.rateLimitModules.some((m) => f.importsAny([m]));
  // A limiter the whole app uses (`app.use(limiter)`) limits the routes of other files too.
  if (cross && !cross.symbolic && rateLimited && /\.use\(\s*(\w*[Ll]imit\w*|rateLimit\()/.test(f.text)) cross.summary.limits = "app";

  // Functions and their names (declarations, `const f = () => ...`, exported ones).
  const functions = all(...FUNCTION_TYPES);
  const fnAround = innermostFunctions(root, calls.map((c) => c.node), [...FUNCTION_TYPES]);
  const byName = new Map<string, Node>();
  const exported = new Set<number>();
  for (const fn of functions) {
    const n = fn.childForFieldName("name")?.text;
    if (n && fn.type !== "method_definition") byName.set(n, fn);
  }
  for (const d of all("variable_declarator")) {
    const v = d.childForFieldName("value");
    const n = d.childForFieldName("name");
    if (v && FUNCTION_TYPES.has(v.type) && n?.type === "identifier") byName.set(n.text, v);
  }
  for (const e of all("export_statement")) {
    const decl = e.childForFieldName("declaration") ?? e.namedChildren.find((x) => x?.type === "function_declaration" || x?.type === "lexical_declaration") ?? null;
    if (!decl) continue;
    if (FUNCTION_TYPES.has(decl.type)) exported.add(decl.id);
    for (const d of decl.descendantsOfType("variable_declarator")) {
      const v = d?.childForFieldName("value");
      if (v && FUNCTION_TYPES.has(v.type)) exported.add(v.id);
    }
    // `export default function handler(req, res)`
    const def = e.namedChildren.find((x) => x && FUNCTION_TYPES.has(x.type));
    if (def) exported.add(def.id);
  }
  const namesById = new Map<number, string>();
  for (const [n, x] of byName) namesById.set(x.id, n);
  const nameOf = (fn: Node): string => fn.childForFieldName("name")?.text ?? namesById.get(fn.id) ?? "(anonymous)";
  const paramsOf = (fn: Node): { name: string; node: Node }[] => {
    const ps: { name: string; node: Node }[] = [];
    const list = fn.childForFieldName("parameters") ?? fn.childForFieldName("parameter");
    if (list?.type === "identifier") return [{ name: list.text, node: list }];
    for (const p of list?.namedChildren ?? []) {
      if (!p) continue;
      const id = p.type === "identifier" ? p : p.childForFieldName("pattern") ?? p.namedChildren.find((c) => c?.type === "identifier" || c?.type === "object_pattern") ?? null;
      if (id?.type === "identifier") ps.push({ name: id.text, node: id });
      else if (id?.type === "object_pattern") for (const x of id.descendantsOfType(["shorthand_property_identifier_pattern", "identifier"])) if (x) ps.push({ name: x.text, node: x });
    }
    return ps;
  };

  // Entry points.
  const entries = new Map<number, Entry>();
  const seeds = new Map<number, Map<string, Taint>>();
  const seed = (fn: Node, name: string, t: Taint): boolean => {
    let m = seeds.get(fn.id);
    if (!m) seeds.set(fn.id, (m = new Map()));
    if (m.has(name)) return false;
    m.set(name, t);
    return true;
  };
  const bodyAuth = (fn: Node) => calls.some((c) => fnAround.get(c.node.id) === fn && authRe.test(c.name)) || /authorization|getServerSession|currentUser\(|auth\(\)/i.test(fn.text.slice(0, 20_000));
  const entry = (fn: Node, framework: string, authenticated: boolean, what: string, params: { name: string; node: Node }[]) => {
    const e: Entry = { framework, name: nameOf(fn), row: fn.startPosition.row, authenticated };
    entries.set(fn.id, e);
    for (const p of params) seed(fn, p.name, { kind: "input", what, source: `${e.name}(${p.name})`, row: p.node.startPosition.row, entry: e });
  };
  const path = f.path ?? "";
  const routeFile = new RegExp(F.routeFiles).test(path);
  const useServerFile = /^\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*["']use server["']/.test(f.text);
  for (const fn of functions) {
    const name = nameOf(fn);
    if (routeFile && exported.has(fn.id) && (F.routeMethods.includes(name) || /(^|\/)pages\/api\//.test(path))) {
      entry(fn, "nextjs", bodyAuth(fn), "the request", paramsOf(fn).slice(0, 1));
    } else if ((useServerFile && exported.has(fn.id)) || /^\s*\{\s*["']use server["']/.test(fn.childForFieldName("body")?.text ?? "")) {
      entry(fn, "server action", bodyAuth(fn), "the server action's argument", paramsOf(fn));
    }
  }
  // Express: app.post(path, ...middleware, handler).
  let appAuth = false;
  for (const c of calls) {
    const m = /\.(\w+)$/.exec(c.name)?.[1] ?? "";
    const receiver = c.name.slice(0, c.name.length - m.length - 1);
    if (!F.expressApps.some((p) => anyName([p], receiver))) continue;
    if (m === "use" && c.args.some((a) => authRe.test(a.text))) appAuth = true;
    if (!F.expressMethods.includes(m)) continue;
    const handlers = c.args.slice(1);
    const last = handlers[handlers.length - 1];
    const fn = last && FUNCTION_TYPES.has(last.type) ? last : last?.type === "identifier" ? byName.get(last.text) : undefined;
    if (!fn) continue;
    const mwAuth = handlers.slice(0, -1).some((h) => authRe.test(h.text));
    entry(fn, "express", mwAuth || appAuth || bodyAuth(fn), "the request", paramsOf(fn).slice(0, 1));
  }

  // Tools: parameters chosen by the model.
  for (const [id, tool] of f.toolFunctions) {
    const fn = functions.find((x) => x.id === id);
    if (!fn) continue;
    for (const p of paramsOf(fn)) seed(fn, p.name, { kind: "tool", what: `the argument ${p.name} the model chooses for the tool "${tool}"`, source: `${tool}(${p.name})`, row: p.node.startPosition.row, tool });
  }

  const sanitizers = new Set(calls.filter((c) => anyName(F.sanitizers, c.name)).map((c) => c.node.id));
  const calleeOf = new Map<number, Node>();
  const callersOf = new Map<number, Set<Node | undefined>>();
  for (const c of calls) {
    const fnNode = c.node.type === "new_expression" ? null : c.node.childForFieldName("function");
    const fn = fnNode?.type === "identifier" ? byName.get(fnNode.text) : undefined;
    if (!fn) continue;
    calleeOf.set(c.node.id, fn);
    let s = callersOf.get(fn.id);
    if (!s) callersOf.set(fn.id, (s = new Set()));
    s.add(fnAround.get(c.node.id));
  }
  const returns = new Map<number, Taint>();

  // Functions other files import (by name, `default` for the default export) and calls of
  // functions other files define.
  const fnKey = new Map<number, string>();
  const crossCallee = new Map<number, string>();
  /** Symbolic pass: the functions worth reading; the others say nothing about parameters. */
  let symbolicScope: Set<number> | undefined;
  if (cross) {
    for (const [n, fn] of byName) fnKey.set(fn.id, n);
    for (const e of all("export_statement")) {
      const def = e.namedChildren.find((x) => x && FUNCTION_TYPES.has(x.type));
      if (def && /^export\s+default\b/.test(e.text)) fnKey.set(def.id, "default");
    }
    for (const c of calls) {
      if (calleeOf.has(c.node.id) || f.llmCalls.has(c.node.id) || c.node.type === "new_expression") continue;
      if (OWN_MODULE.test(c.name)) crossCallee.set(c.node.id, c.name);
    }
    if (cross.symbolic) {
      // As in flow-python.ts: only functions that reach a sink or another file's function.
      const matters = new Set<number>();
      for (const c of calls) {
        if (!crossCallee.has(c.node.id) && !F.sinks.some((s) => anyName([s.pattern], c.name))) continue;
        const fn = fnAround.get(c.node.id);
        if (fn) matters.add(fn.id);
      }
      // HTML sinks that are not calls: `el.innerHTML = x`, `dangerouslySetInnerHTML={...}`.
      const html = all("assignment_expression", "jsx_attribute").filter((a) => a.type === "assignment_expression" ? F.htmlProperties.includes(a.childForFieldName("left")?.childForFieldName("property")?.text ?? "") : F.htmlAttributes.includes(a.namedChildren[0]?.text ?? ""));
      if (html.length) for (const fn of innermostFunctions(root, html, [...FUNCTION_TYPES]).values()) if (fn) matters.add(fn.id);
      if (!matters.size && !crossCallee.size) return;
      addCallers(matters, calleeOf, fnAround);
      symbolicScope = matters;
      for (const fn of functions) {
        const key = fnKey.get(fn.id);
        if (key && matters.has(fn.id)) paramsOf(fn).forEach((p, i) => seed(fn, p.name, { kind: "param", what: p.name, source: key, index: i, row: p.node.startPosition.row }));
      }
    }
  }
  const crossTaint = new Map<number, Taint>();
  const ref = taintRef;

  let tainted = new Map<string, Taint>();
  const table: Taint[] = [];
  const index = new Map<Taint, string>();
  const encode = (t: Taint) => {
    let k = index.get(t);
    if (k === undefined) {
      k = String(table.length);
      table.push(t);
      index.set(t, k);
    }
    return k;
  };
  const search = new SubtreeSearch((n) => {
    if (sanitizers.has(n.id)) return null;
    if (f.llmCalls.has(n.id)) return encode({ kind: "model", what: "the model answer", source: callById.get(n.id)!.name, row: n.startPosition.row });
    if (n.type === "call_expression") {
      const callee = calleeOf.get(n.id);
      const r = callee ? returns.get(callee.id) : undefined;
      if (r) return encode(r);
      const elsewhere = cross?.symbolic ? crossCallee.get(n.id) : undefined;
      if (elsewhere) {
        let t = crossTaint.get(n.id);
        if (!t) crossTaint.set(n.id, (t = { kind: "import", what: `the result of ${elsewhere}`, source: elsewhere, row: n.startPosition.row }));
        return encode(t);
      }
    }
    if (n.type === "identifier" || n.type === "member_expression" || n.type === "shorthand_property_identifier") {
      const k = shortText(n);
      const t = k === undefined ? undefined : tainted.get(k);
      if (t) return encode(t);
    }
    return undefined;
  }, 2 * searchBudget(root));
  const mentions = (n: Node | null | undefined): Taint | undefined => {
    const k = search.find(n);
    return k === undefined ? undefined : table[Number(k)];
  };
  const setTaint = (target: Node, t: Taint) => {
    const k = shortText(target);
    if (k === undefined || tainted.get(k) === t) return;
    tainted.set(k, t);
    search.invalidate();
  };
  const targetsOf = (left: Node | null): Node[] =>
    left?.type === "identifier" || left?.type === "member_expression" ? [left] : (left?.descendantsOfType(["identifier", "shorthand_property_identifier_pattern"]).filter((x): x is Node => !!x) ?? []);
  const isTemplate = (n: Node): boolean => (n.type === "template_string" && n.namedChildren.some((c) => c?.type === "template_substitution")) || (n.type === "binary_expression" && n.childForFieldName("operator")?.text === "+" && n.descendantsOfType(["string", "template_string"]).length > 0);

  const reported = new Set<string>();
  const report = (h: Hit) => {
    const k = `${h.kind}|${h.row}|${h.column}|${h.key}`;
    if (reported.has(k)) return;
    reported.add(k);
    out.hits.push(h);
  };
  const unboundedEntries = new Set<string>();
  /** Clients (and what is built around them) constructed with a cap on the tokens a call generates. */
  const cappedClients = new Set<string>();
  for (const d of all("variable_declarator")) {
    const v = d.childForFieldName("value");
    const n = d.childForFieldName("name");
    if (!v || n?.type !== "identifier") continue;
    const head = v.text.slice(0, 4000);
    if (/\b(max_tokens|maxTokens|maxOutputTokens|max_completion_tokens|maxCompletionTokens)\s*:/.test(head) || v.descendantsOfType("identifier").slice(0, 200).some((x) => !!x && cappedClients.has(x.text))) cappedClients.add(n.text);
  }
  /** Clients constructed with a key from the request (new OpenAI({ apiKey: body.key })). */
  const ownKeyClients = new Set<string>();
  const byok = (call: Node): boolean => {
    const target = call.type === "await_expression" ? call.namedChildren[0] : call;
    const args = target?.childForFieldName("arguments")?.namedChildren ?? [];
    return args.some((a) => a?.type === "object" && a.namedChildren.some((p) => p?.type === "pair" && /^["']?(\w+_)?(api_?key|apiKey|openAIApiKey|anthropicApiKey|token)["']?$/i.test(p.childForFieldName("key")?.text ?? "") && mentions(p.childForFieldName("value"))?.kind === "input"));
  };
  const onSink = (node: Node, sinkName: string, what: string, kind: string, t: Taint, htmlKey?: string) => {
    if (cross?.symbolic) {
      const line = node.startPosition.row + 1;
      const column = node.startPosition.column + 1;
      if (t.kind === "param") addParamSink(cross.summary, t.source, { index: t.index ?? 0, name: t.what, sink: sinkName, sinkKind: kind, line, column });
      else if (t.kind === "import") addResultSink(cross.summary, { callee: t.source, sink: sinkName, sinkKind: kind, calledAt: t.row + 1, line, column });
      return;
    }
    if (t.kind === "param" || t.kind === "import") return;
    const path = `${where(node.startPosition.row)} ${sinkPhrase(kind, `${t.kind === "model" ? "the model answer" : t.what} from ${where(t.row)}`)}`;
    if (t.kind === "model") {
      const message = htmlKey
        ? `model output from ${t.source}() is ${htmlKey === "dangerouslySetInnerHTML" ? `rendered with ${htmlKey}` : `written to .${htmlKey}`} without encoding: ${path}`
        : `model output from ${t.source}() reaches ${what} (${sinkName}) without encoding or validation: ${path}`;
      report({ kind: "code.output-to-sink", ...at(node), message, key: `${t.source}->${sinkName}`, data: { source: t.source, sink: sinkName, sinkKind: htmlKey ? "HTML" : what, sourceLine: t.row + 1, flow: path } });
    } else if (t.kind === "tool") {
      report({ kind: "code.tool-input-to-sink", ...at(node), message: `the tool "${t.tool}" passes the argument the model chooses to ${what} (${sinkName}): ${path}`, key: `${t.tool}->${sinkName}`, data: { tool: t.tool, sink: sinkName, sinkKind: what, sourceLine: t.row + 1, flow: path } });
    } else {
      report({ kind: "code.input-to-sink", ...at(node), message: `${t.what} (${t.source}) reaches ${what} (${sinkName}) without validation: ${path}`, key: `${t.source}->${sinkName}`, data: { source: t.source, sink: sinkName, sinkKind: what, sourceLine: t.row + 1, framework: t.entry?.framework ?? null, what: t.what, flow: path } });
    }
  };

  const handedOn: { caller: string; index: number; name: string; callee: Node; arg: number }[] = [];
  const visits = new Map<number, number>();
  const queue: Node[] = [];
  const queued = new Set<number>();
  let moduleDirty = false;
  const enqueue = (fn: Node) => {
    if (symbolicScope && !symbolicScope.has(fn.id)) return;
    if (queued.has(fn.id) || (visits.get(fn.id) ?? 0) >= MAX_VISITS) return;
    queued.add(fn.id);
    queue.push(fn);
  };

  const onCall = (node: Node, scopeFn: Node | undefined) => {
    const c = callById.get(node.id);
    if (!c) return;
    const fnNode = node.type === "new_expression" ? null : node.childForFieldName("function");
    // Containers: `parts.push(answer)`.
    if (fnNode?.type === "member_expression" && /^(push|unshift|concat|set|add|append)$/.test(fnNode.childForFieldName("property")?.text ?? "")) {
      const t = c.args.map((a) => mentions(a)).find(Boolean);
      const obj = fnNode.childForFieldName("object");
      if (t && obj && (obj.type === "identifier" || obj.type === "member_expression")) setTaint(obj, t);
    }
    const callee = calleeOf.get(node.id);
    if (callee) {
      const ps = paramsOf(callee);
      c.args.forEach((a, i) => {
        const t = mentions(a);
        if (t && ps[i] && seed(callee, ps[i]!.name, t)) enqueue(callee);
        if (cross?.symbolic && t?.kind === "param" && handedOn.length < 1000) handedOn.push({ caller: t.source, index: t.index ?? 0, name: t.what, callee, arg: i });
      });
    }
    const elsewhere = crossCallee.get(node.id);
    if (cross && elsewhere) {
      const line = node.startPosition.row + 1;
      const column = node.startPosition.column + 1;
      c.args.forEach((a, k) => {
        const t = mentions(a);
        if (!t) return;
        if (!cross.symbolic && (t.kind === "model" || t.kind === "input" || t.kind === "tool")) addUse(cross.summary, { callee: elsewhere, arg: k, taint: ref(t), line, column });
        else if (cross.symbolic && t.kind === "param") addParamSink(cross.summary, t.source, { index: t.index ?? 0, name: t.what, line, column, via: { callee: elsewhere, arg: k } });
        else if (cross.symbolic && t.kind === "import" && t.source !== elsewhere) addUse(cross.summary, { callee: elsewhere, arg: k, taint: ref(t), line, column });
      });
    }
    // A callable the model picked: `tools[name](args)`.
    if (fnNode && (fnNode.type === "subscript_expression" || fnNode.type === "call_expression")) {
      const t = mentions(fnNode);
      if (t?.kind === "model" && !/confirm|approve|prompt\(/i.test(scopeFn?.text.slice(0, node.startIndex - scopeFn.startIndex) ?? "")) {
        report({ kind: "code.dynamic-tool-dispatch", ...at(node), message: `${where(node.startPosition.row)} calls the function the model names (${shortText(fnNode) ?? "a computed callable"}), from the model answer at ${where(t.row)}, with no approval step before it runs`, key: `dispatch:${shortText(fnNode) ?? node.startPosition.row}`, data: { callee: shortText(fnNode) ?? "a computed callable", source: t.source, sourceLine: t.row + 1, sourceAt: where(t.row) } });
      }
    }
    if (f.llmCalls.has(node.id)) {
      let fed: Taint | undefined;
      for (const a of c.args) {
        const t = mentions(a);
        if (t?.kind !== "input") continue;
        fed ??= t;
        const built = !t.local && (t.templated || [a, ...a.descendantsOfType(["template_string", "binary_expression"]).filter((x): x is Node => !!x).slice(0, 200)].some((x) => isTemplate(x) && mentions(x)?.kind === "input"));
        if (built) report({ kind: "code.input-into-prompt", ...at(node), message: `${t.what} (${t.source}) from ${where(t.row)} is pasted into the prompt of ${c.name}() at ${where(node.startPosition.row)}: instructions and untrusted text share one string`, key: `prompt:${t.source}->${c.name}`, data: { source: t.source, call: c.name, sourceLine: t.row + 1, what: t.what, sourceAt: where(t.row) } });
      }
      // A client built from the user's own key: the user pays.
      const clientRoot = fnNode ? shortText(fnNode)?.split(".")[0] : undefined;
      const ownKey = (clientRoot !== undefined && ownKeyClients.has(clientRoot)) || byok(node);
      // Authenticated users with a cap on what one call may generate: bounded, if not rate-limited.
      const capped = c.args.some((a) => a.type === "object" && a.namedChildren.some((p) => p?.type === "pair" && TOKEN_CAP.test((p.childForFieldName("key")?.text ?? "").replace(/["']/g, "")) && mentions(p.childForFieldName("value"))?.kind !== "input")) || (clientRoot !== undefined && cappedClients.has(clientRoot));
      if (fed?.entry && !rateLimited && !ownKey && !(fed.entry.authenticated && capped)) {
        const e = fed.entry;
        const k = `${e.framework}:${e.name}:${e.row}`;
        if (!unboundedEntries.has(k)) {
          unboundedEntries.add(k);
          report({ kind: "code.unbounded-model-calls", ...at(node), message: `${e.framework} entry point ${e.name} calls the model (${c.name}) at ${where(node.startPosition.row)} with ${fed.what} from ${where(fed.row)}, and nothing in the file limits how often (no rate limiter${e.authenticated ? "" : ", no authentication"})`, key: `unbounded:${e.framework}:${e.name}`, data: { framework: e.framework, entry: e.name, call: c.name, authenticated: e.authenticated, caller: `${e.framework} entry point ${e.name}`, input: `${fed.what} from ${where(fed.row)}`, missing: `no rate limiter${e.authenticated ? "" : ", no authentication"}` } });
        }
      }
      return;
    }
    if (anyName(F.retrievalWrites, c.name)) {
      const t = c.args.map((a) => mentions(a)).find((x) => x?.kind === "input" && x.entry && !x.entry.authenticated);
      if (t?.entry) report({ kind: "code.unauthenticated-retrieval-write", ...at(node), message: `${t.entry.framework} ${t.entry.framework === "nextjs" ? "route handler" : "entry point"} ${t.entry.name} (${where(t.entry.row)}) has no authentication and writes ${t.what} from ${where(t.row)} into the retrieval store (${c.name}) at ${where(node.startPosition.row)}: anyone can plant text that other users' prompts are built from`, key: `retrieval-write:${t.entry.name}:${c.name}`, data: { framework: t.entry.framework, entry: t.entry.name, call: c.name, what: t.what, entryAt: where(t.entry.row) } });
    }
    const sink = F.sinks.find((s) => anyName([s.pattern], c.name));
    if (sink) {
      const args = sink.args ? sink.args.map((i) => c.args[i]).filter((x): x is Node => !!x) : c.args;
      const t = args.map((a) => mentions(a)).find(Boolean);
      if (t) onSink(node, c.name, sink.what ?? c.name, sink.kind ?? "code", t);
    }
  };

  const analyse = (scopeFn: Node | undefined) => {
    tainted = new Map(seeds.get(scopeFn?.id ?? -1) ?? []);
    search.invalidate();
    const start = scopeFn ? scopeFn.childForFieldName("body") ?? scopeFn : root;
    const chainInner = new Set<number>();
    const events = eventsIn(start, (t) => FLOW_EVENTS.has(t), (t) => FUNCTION_TYPES.has(t));
    // An arrow function's expression body is itself an event (`(q) => llm.invoke(q)`).
    if (scopeFn && start !== scopeFn && FLOW_EVENTS.has(start.type)) events.unshift(start);
    for (const node of events) {
      switch (node.type) {
        case "variable_declarator":
        case "assignment_expression":
        case "augmented_assignment_expression": {
          if (chainInner.has(node.id)) break;
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
          const t0 = mentions(right);
          if (!t0) break;
          if (right && (right.type === "new_expression" || right.type === "call_expression" || right.type === "await_expression") && byok(right)) for (const { left } of lefts) if (left.type === "identifier") ownKeyClients.add(left.text);
          const t = t0.kind === "input" && right && isTemplate(right) && !t0.templated ? { ...t0, templated: true } : t0;
          for (const { left, assignment } of lefts) {
            const prop = left.type === "member_expression" ? left.childForFieldName("property")?.text ?? "" : "";
            if (F.htmlProperties.includes(prop)) {
              onSink(assignment, prop, `.${prop}`, "html", t, prop);
              continue;
            }
            for (const x of targetsOf(left)) setTaint(x, t);
          }
          break;
        }
        case "for_in_statement": {
          const t = mentions(node.childForFieldName("right"));
          if (t) for (const x of targetsOf(node.childForFieldName("left"))) setTaint(x, t);
          break;
        }
        case "jsx_attribute": {
          const name = node.namedChildren[0]?.text ?? "";
          if (!F.htmlAttributes.includes(name)) break;
          const t = mentions(node.namedChildren[1]);
          if (t) onSink(node, name, name, "html", t, name);
          break;
        }
        case "return_statement": {
          const t = mentions(node.namedChildren[0]);
          if (t && t.kind !== "param" && scopeFn && !returns.has(scopeFn.id)) {
            returns.set(scopeFn.id, t);
            search.invalidate();
            for (const caller of callersOf.get(scopeFn.id) ?? []) {
              if (caller) enqueue(caller);
              else moduleDirty = true;
            }
          }
          break;
        }
        default:
          onCall(node, scopeFn);
      }
    }
    // An arrow function whose body is an expression returns it.
    if (scopeFn?.type === "arrow_function") {
      const body = scopeFn.childForFieldName("body");
      if (body && body.type !== "statement_block" && !returns.has(scopeFn.id)) {
        const t = mentions(body);
        if (t && t.kind !== "param") {
          returns.set(scopeFn.id, t);
          for (const caller of callersOf.get(scopeFn.id) ?? []) {
            if (caller) enqueue(caller);
            else moduleDirty = true;
          }
        }
      }
    }
  };

  analyse(undefined);
  for (const fn of functions) if (seeds.has(fn.id)) enqueue(fn);
  for (const fn of functions) enqueue(fn);
  let rounds = 0;
  while (queue.length || moduleDirty) {
    if (++rounds > 50 * (functions.length + 2)) break;
    const fn = queue.shift();
    if (fn) {
      queued.delete(fn.id);
      visits.set(fn.id, (visits.get(fn.id) ?? 0) + 1);
      analyse(fn);
    } else {
      moduleDirty = false;
      if ((visits.get(root.id) ?? 0) >= MAX_VISITS) break;
      visits.set(root.id, (visits.get(root.id) ?? 0) + 1);
      analyse(undefined);
    }
  }
  if (cross) summarise(cross);

  function summarise(x: JsCrossFile) {
    summariseReturns(x.summary, x.symbolic, functions, fnKey, returns);
    if (!x.symbolic) return;
    for (let round = 0; round < 3; round++) {
      let added = false;
      for (const h of handedOn) {
        const calleeKey = fnKey.get(h.callee.id);
        if (!calleeKey) continue;
        for (const p of x.summary.functions[calleeKey]?.sinks ?? []) {
          if (p.index !== h.arg) continue;
          const before = x.summary.functions[h.caller]?.sinks?.length ?? 0;
          addParamSink(x.summary, h.caller, { ...p, index: h.index, name: h.name });
          if ((x.summary.functions[h.caller]?.sinks?.length ?? 0) > before) added = true;
        }
      }
      if (!added) break;
    }
  }
}
