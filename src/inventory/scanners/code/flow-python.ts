// Data flow in one Python file: from model answers (OpenAI/Anthropic/LangChain/LlamaIndex/LiteLLM
// calls, chains called as functions, streams iterated), untrusted input (request bodies of
// FastAPI/Flask/Django routes, Streamlit and Gradio inputs, CLI arguments and stdin, retrieved
// documents) and the arguments a model chooses for a tool, to sinks (shell, subprocess, exec/eval,
// SQL text, HTML rendering, HTTP URLs, file paths), through assignments, attributes, containers,
// f-strings, returns and calls of the file's own functions. Also: tools dispatched by a name the
// model chose, unauthenticated routes that write into a retrieval store, model calls fed by users
// with no rate limiting, untrusted input pasted into a prompt template, and inference UIs served
// on all interfaces without authentication.
//
// Each scope (the module, each function) is read once per change of what flows into it, in
// source order, without recursion (tree-walk.ts); a worklist carries taint into the file's
// functions through their parameters and out through their returns, each function read at most
// MAX_VISITS times. Every search is linear in the subtree and counted against the file's budget.
import { addCallers, summariseReturns, taintRef, type Entry, type Taint } from "./flow-taint.js";
import type { Node } from "web-tree-sitter";
import type { FileAnalysis, Hit } from "./model.js";
import { anyName, codePatterns, findPattern, type CallPattern } from "./patterns.js";
import { eventsIn, innermostFunctions, SubtreeSearch, searchBudget, shortText } from "./tree-walk.js";
import { addParamSink, addResultSink, addUse, type FlowSummary } from "./summary.js";
import { sinkPhrase, type FlowSink } from "./sinks.js";

export interface PyCall {
  node: Node;
  name: string;
  positional: Node[];
  kwargs: Map<string, Node>;
}

export interface PyAssignment {
  node: Node;
  targets: Node[];
  value: Node | null;
}

export interface PyFlowInput {
  root: Node;
  text: string;
  calls: PyCall[];
  llmCalls: Set<number>;
  qname(n: Node | null | undefined): string;
  /** Outermost assignments of `a = b = value` chains, by node id; inner links are skipped. */
  chainOf: Map<number, PyAssignment>;
  chainInner: Set<number>;
  /** Function definitions registered as tools, with the tool's name. */
  toolFunctions: Map<number, string>;
  /** Whether the file imports one of these module roots. */
  importsAny(roots: string[]): boolean;
  /** True for a call's qualified name that names a function another file of the repository may define. */
  elsewhere?(qname: string): boolean;
}

/**
 * What the file tells other files (summary.ts). The plain pass records the tainted arguments of
 * calls of functions defined elsewhere and what the file's functions return; the `symbolic` pass
 * (run on its own, its hits thrown away) treats each parameter and each such call's result as a
 * source of its own, to record which parameters reach sinks and which sinks results reach.
 */
export interface PyCrossFile {
  summary: FlowSummary;
  symbolic: boolean;
}

/** Arguments that cap what one model call generates. */
const TOKEN_CAP = /^(max_tokens|max_new_tokens|max_output_tokens|max_completion_tokens|maxTokens|maxOutputTokens|maxCompletionTokens|num_predict|n_predict)$/;
const FLOW_EVENTS = new Set(["assignment", "augmented_assignment", "for_statement", "call", "return_statement", "yield", "as_pattern", "named_expression"]);
const SCOPE_BARRIERS = new Set(["function_definition", "class_definition", "lambda"]);
/** Each function is re-read at most this many times as new taint reaches it. */
const MAX_VISITS = 6;

export function pythonFlow(f: PyFlowInput, out: FileAnalysis, cross?: PyCrossFile): void {
  const P = codePatterns();
  const F = P.flow.python;
  const { root, calls, qname } = f;
  const at = (n: Node) => ({ row: n.startPosition.row, column: n.startPosition.column });
  const short = (name: string) => name;
  const callById = new Map(calls.map((c) => [c.node.id, c] as const));
  const all = (type: string) => root.descendantsOfType(type).filter((n): n is Node => !!n);
  const authRe = new RegExp(F.authNames, "i");
  // Templates rendered from the file count as HTML sinks when a template marks a value |safe.
  const sinks: FlowSink[] = [...F.sinks, ...(/\|\s*safe\b/.test(f.text) ? F.safeFilterSinks : [])];
  const approvalRe = new RegExp(F.approvalCalls, "i");

  // Functions: by name (module level and methods), with the class they belong to.
  const functions = all("function_definition");
  const fnAround = innermostFunctions(root, calls.map((c) => c.node), ["function_definition"]);
  const classOf = new Map<number, Node>();
  for (const cls of all("class_definition")) for (const m of cls.childForFieldName("body")?.namedChildren ?? []) {
    const def = m?.type === "decorated_definition" ? m.childForFieldName("definition") : m;
    if (def?.type === "function_definition") classOf.set(def.id, cls);
  }
  const byName = new Map<string, Node[]>();
  for (const fn of functions) {
    const n = fn.childForFieldName("name")?.text ?? "";
    byName.set(n, [...(byName.get(n) ?? []), fn]);
  }
  const paramsOf = (fn: Node): { name: string; node: Node; default?: Node }[] => {
    const ps: { name: string; node: Node; default?: Node }[] = [];
    for (const p of fn.childForFieldName("parameters")?.namedChildren ?? []) {
      if (!p) continue;
      const nameNode = p.type === "identifier" ? p : p.childForFieldName("name") ?? p.namedChildren.find((c) => c?.type === "identifier") ?? null;
      if (!nameNode || nameNode.type !== "identifier") continue;
      ps.push({ name: nameNode.text, node: nameNode, ...(p.childForFieldName("value") ? { default: p.childForFieldName("value")! } : {}) });
    }
    return ps;
  };
  const isMethod = (fn: Node) => classOf.has(fn.id);
  const realParams = (fn: Node) => {
    const ps = paramsOf(fn);
    return isMethod(fn) && ps.length && (ps[0]!.name === "self" || ps[0]!.name === "cls") ? ps.slice(1) : ps;
  };
  // The names other files call: top-level functions ("f") and methods of top-level classes ("C.m").
  const fnKey = new Map<number, string>();
  const topClasses = new Map<number, string>();
  for (const st of root.namedChildren) {
    const def = st?.type === "decorated_definition" ? st.childForFieldName("definition") : st;
    if (def?.type === "function_definition") fnKey.set(def.id, def.childForFieldName("name")?.text ?? "?");
    if (def?.type === "class_definition") topClasses.set(def.id, def.childForFieldName("name")?.text ?? "?");
  }
  for (const fn of functions) {
    const cls = classOf.get(fn.id);
    const cn = cls ? topClasses.get(cls.id) : undefined;
    if (cn) fnKey.set(fn.id, `${cn}.${fn.childForFieldName("name")?.text ?? "?"}`);
  }
  if (cross && !cross.symbolic) {
    for (const [id, name] of topClasses) {
      const cls = all("class_definition").find((c) => c.id === id);
      const bases = (cls?.childForFieldName("superclasses")?.namedChildren ?? []).filter((b): b is Node => !!b && (b.type === "identifier" || b.type === "attribute")).map((b) => qname(b)).slice(0, 4);
      if (bases.length && Object.keys(cross.summary.classes).length < 200) cross.summary.classes[name] = bases;
    }
  }

  // File-level facts: rate limiting, app-level authentication, UI authentication.
  const rateLimited = F.rateLimitModules.some((m) => f.importsAny([m])) || /@\w+\.limit\(/.test(f.text);
  // A limiter set up for the whole app (default limits, middleware, init_app) limits the routes of other files too.
  if (cross && !cross.symbolic && rateLimited && /default_limits|application_limits|SlowAPIMiddleware|\.init_app\(|Limiter\([^)]{0,200}\bapp\b|app\.state\.limiter|FastAPILimiter\.init/.test(f.text)) cross.summary.limits = "app";
  const streamlit = f.importsAny(["streamlit"]);
  const streamlitAuth = new RegExp(F.streamlitAuth).test(f.text);
  const gradioCalls = calls.filter((c) => c.name.startsWith("gradio"));
  const gradioAuth = calls.some((c) => anyName(["gradio*.launch"], c.name) && c.kwargs.has("auth"));
  let appAuth = false;
  for (const c of calls) {
    if ((anyName(["fastapi.FastAPI", "fastapi.APIRouter"], c.name) && c.kwargs.has("dependencies") && authRe.test(c.kwargs.get("dependencies")!.text)) || (c.name.endsWith(".add_middleware") && authRe.test(c.positional[0]?.text ?? ""))) appAuth = true;
    if (c.name.endsWith(".include_router") && c.kwargs.has("dependencies") && authRe.test(c.kwargs.get("dependencies")!.text)) appAuth = true;
  }
  // Flask: a before_request hook that checks credentials guards every route of the file.
  for (const d of all("decorated_definition")) {
    const decs = d.namedChildren.filter((x) => x?.type === "decorator").map((x) => x!.text);
    if (decs.some((t) => /before_request|before_app_request/.test(t)) && authRe.test(d.childForFieldName("definition")?.text ?? "")) appAuth = true;
  }

  // Entry points: routes (their parameters are the request, except injected dependencies), Gradio
  // callbacks (their parameters are the user's input), Django views.
  const entries = new Map<number, Entry>();
  const seeds = new Map<number, Map<string, Taint>>();
  const seed = (fn: Node, name: string, t: Taint): boolean => {
    let m = seeds.get(fn.id);
    if (!m) seeds.set(fn.id, (m = new Map()));
    if (m.has(name)) return false;
    m.set(name, t);
    return true;
  };
  for (const d of all("decorated_definition")) {
    const def = d.childForFieldName("definition");
    if (def?.type !== "function_definition") continue;
    const decorators = d.namedChildren.filter((x): x is Node => x?.type === "decorator");
    let framework: string | undefined;
    let decoratorAuth = false;
    for (const dec of decorators) {
      const expr = dec.namedChildren[0];
      const callee = expr?.type === "call" ? expr.childForFieldName("function") : expr;
      const q = qname(callee);
      const route = F.routeDecorators.find((r) => anyName([r.pattern], q));
      if (route) {
        framework = route.framework;
        if (expr?.type === "call" && authRe.test(expr.childForFieldName("arguments")?.namedChildren.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "dependencies")?.text ?? "")) decoratorAuth = true;
      } else if (authRe.test(dec.text)) decoratorAuth = true;
    }
    if (!framework) continue;
    const name = def.childForFieldName("name")?.text ?? "?";
    const params = paramsOf(def);
    const paramAuth = params.some((p) => p.default && /^(Depends|Security|fastapi\.Depends|fastapi\.Security)\(/.test(p.default.text) && authRe.test(p.default.text));
    const entry: Entry = { framework, name, row: def.startPosition.row, authenticated: decoratorAuth || paramAuth || appAuth };
    entries.set(def.id, entry);
    if (framework === "fastapi") {
      for (const p of params) {
        if (p.default && /^(Depends|Security|fastapi\.Depends|fastapi\.Security)\(/.test(p.default.text)) continue;
        seed(def, p.name, { kind: "input", what: `the request's ${p.name}`, source: `${name}(${p.name})`, row: p.node.startPosition.row, entry });
      }
    }
  }
  // Django views: a function whose first parameter is `request` in a file that imports django.
  if (f.importsAny(["django", "rest_framework"])) {
    const decoratorsOf = new Map<number, string>();
    for (const d of all("decorated_definition")) {
      const def = d.childForFieldName("definition");
      if (def) decoratorsOf.set(def.id, d.namedChildren.filter((x) => x?.type === "decorator").map((x) => x!.text).join("\n"));
    }
    for (const fn of functions) {
      const ps = realParams(fn);
      if (ps[0]?.name !== "request") continue;
      const decs = decoratorsOf.get(fn.id) ?? "";
      entries.set(fn.id, { framework: "django", name: fn.childForFieldName("name")?.text ?? "?", row: fn.startPosition.row, authenticated: authRe.test(decs) || appAuth });
    }
  }
  // Gradio callbacks: functions given as fn= (or first) to an Interface, ChatInterface or an event.
  for (const c of gradioCalls) {
    if (!F.gradioCallbacks.some((p) => anyName([p], c.name))) continue;
    const fnRef = c.kwargs.get("fn") ?? c.positional[0];
    if (fnRef?.type !== "identifier") continue;
    for (const fn of byName.get(fnRef.text) ?? []) {
      const entry: Entry = { framework: "gradio", name: fnRef.text, row: fn.startPosition.row, authenticated: gradioAuth };
      entries.set(fn.id, entry);
      for (const p of realParams(fn)) seed(fn, p.name, { kind: "input", what: `the user's ${p.name}`, source: `${fnRef.text}(${p.name})`, row: p.node.startPosition.row, entry });
    }
  }
  const streamlitEntry: Entry | undefined = streamlit ? { framework: "streamlit", name: "the Streamlit app", row: 0, authenticated: streamlitAuth } : undefined;

  // Tools: their parameters are chosen by the model.
  const toolOf = new Map<number, string>(f.toolFunctions);
  for (const cls of all("class_definition")) {
    // A class that describes itself to the model as a function (an OpenAI tool schema, or a
    // LangChain BaseTool) and runs in one of its methods.
    const body = cls.childForFieldName("body");
    const bases = cls.childForFieldName("superclasses")?.text ?? "";
    const schemaName = /["']type["']\s*:\s*["']function["'][\s\S]*?["']name["']\s*:\s*["']([\w.-]+)["']/.exec(body?.text.slice(0, 20_000) ?? "")?.[1];
    const toolClassName = /BaseTool/.test(bases) ? /\bname\s*(?::\s*str)?\s*=\s*["']([\w.-]+)["']/.exec(body?.text.slice(0, 20_000) ?? "")?.[1] ?? cls.childForFieldName("name")?.text : undefined;
    const tool = schemaName ?? toolClassName;
    if (!tool) continue;
    for (const m of body?.namedChildren ?? []) {
      const def = m?.type === "decorated_definition" ? m.childForFieldName("definition") : m;
      if (def?.type === "function_definition" && F.toolMethods.includes(def.childForFieldName("name")?.text ?? "")) toolOf.set(def.id, tool);
    }
  }
  for (const [id, tool] of toolOf) {
    const fn = functions.find((x) => x.id === id);
    if (!fn) continue;
    for (const p of realParams(fn)) if (!/^(run_manager|callbacks|config|kwargs|args)$/.test(p.name)) seed(fn, p.name, { kind: "tool", what: `the argument ${p.name} the model chooses for the tool "${tool}"`, source: `${tool}(${p.name})`, row: p.node.startPosition.row, tool });
  }

  // Sources and barriers, by node: computed once.
  const inputNodes = new Map<number, Omit<Taint, "entry"> & { entryFromScope: boolean }>();
  const retrievedCalls = new Set<number>();
  const sanitizers = new Set<number>();
  for (const c of calls) {
    if (anyName(F.sanitizers, c.name)) sanitizers.add(c.node.id);
    const input = findPattern(F.inputCalls, c.name);
    if (input) inputNodes.set(c.node.id, { kind: "input", what: input.what ?? "untrusted input", source: c.name, row: c.node.startPosition.row, entryFromScope: !input.local, ...(input.local ? { local: true } : {}) });
    if (anyName(F.retrieved, c.name)) retrievedCalls.add(c.node.id);
  }
  for (const a of all("attribute")) {
    const q = qname(a);
    const input = findPattern(F.inputAttributes, q);
    if (input) inputNodes.set(a.id, { kind: "input", what: input.what ?? "untrusted input", source: q, row: a.startPosition.row, entryFromScope: !input.local, ...(input.local ? { local: true } : {}) });
  }

  // Function summaries: what a call of a file function returns.
  const returns = new Map<number, Taint>();
  const localCallee = (c: PyCall): Node | undefined => {
    const fnNode = c.node.childForFieldName("function");
    if (fnNode?.type === "identifier") {
      const cands = byName.get(fnNode.text);
      return cands?.find((x) => !isMethod(x)) ?? undefined;
    }
    if (fnNode?.type === "attribute" && ["self", "cls"].includes(fnNode.childForFieldName("object")?.text ?? "")) {
      const here = fnAround.get(c.node.id);
      const cls = here ? classOf.get(here.id) : undefined;
      const name = fnNode.childForFieldName("attribute")?.text ?? "";
      return byName.get(name)?.find((x) => classOf.get(x.id) === cls);
    }
    return undefined;
  };
  const calleeOf = new Map<number, Node>();
  /** The scopes that call each file function (undefined: the module). */
  const callersOf = new Map<number, Set<Node | undefined>>();
  for (const c of calls) {
    const fn = localCallee(c);
    if (!fn) continue;
    calleeOf.set(c.node.id, fn);
    let s = callersOf.get(fn.id);
    if (!s) callersOf.set(fn.id, (s = new Set()));
    s.add(fnAround.get(c.node.id));
  }
  // Calls of functions defined in other files (summary.ts): imported names, and methods a class of
  // this file inherits (through super() or self) from a base class.
  const crossCallee = new Map<number, string>();
  /** Symbolic pass: the functions worth reading (see below); the others say nothing about parameters. */
  let symbolicScope: Set<number> | undefined;
  if (cross) {
    const withBases = new Set<number>();
    for (const cls of all("class_definition")) if (topClasses.has(cls.id) && cls.childForFieldName("superclasses")?.namedChildren.some((b) => b?.type === "identifier" || b?.type === "attribute")) withBases.add(cls.id);
    for (const c of calls) {
      if (calleeOf.has(c.node.id) || f.llmCalls.has(c.node.id)) continue;
      const fnNode = c.node.childForFieldName("function");
      const obj = fnNode?.type === "attribute" ? fnNode.childForFieldName("object") : undefined;
      const inherited = obj && (obj.text === "super()" || obj.text === "self" || obj.text === "cls");
      if (inherited) {
        const here = fnAround.get(c.node.id);
        const cls = here ? classOf.get(here.id) : undefined;
        if (cls && withBases.has(cls.id)) crossCallee.set(c.node.id, `~${topClasses.get(cls.id)}.${fnNode!.childForFieldName("attribute")?.text ?? "?"}`);
      } else if (f.elsewhere?.(c.name)) crossCallee.set(c.node.id, c.name);
    }
    if (cross.symbolic) {
      // Only functions that reach a sink or another file's function (themselves or through the
      // file's own functions) can say anything about their parameters; a file with neither says nothing.
      const matters = new Set<number>();
      for (const c of calls) {
        if (!crossCallee.has(c.node.id) && !sinks.some((s) => anyName([s.pattern], c.name))) continue;
        const fn = fnAround.get(c.node.id);
        if (fn) matters.add(fn.id);
      }
      if (!matters.size && !crossCallee.size) return;
      addCallers(matters, calleeOf, fnAround);
      symbolicScope = matters;
      for (const fn of functions) {
        const key = fnKey.get(fn.id);
        if (key && matters.has(fn.id)) realParams(fn).forEach((p, i) => seed(fn, p.name, { kind: "param", what: p.name, source: key, index: i, row: p.node.startPosition.row }));
      }
    }
  }
  const crossTaint = new Map<number, Taint>();
  const ref = taintRef;
  /** Symbolic pass: a parameter of a file function handed to another file function (caller key, index, callee, argument). */
  const handedOn: { caller: string; index: number; name: string; callee: Node; arg: number | string }[] = [];
  /** Names used in each function, to find the functions a module-level taint can reach. */
  const namesIn = new Map<number, Set<string>>();
  const usesName = (fn: Node, name: string) => {
    let s = namesIn.get(fn.id);
    if (!s) namesIn.set(fn.id, (s = new Set(fn.descendantsOfType("identifier").map((x) => x?.text ?? ""))));
    return s.has(name);
  };

  // Shared state across scopes: `self.x` per class, module-level names and `st.session_state.*`.
  const classTaint = new Map<number, Map<string, Taint>>();
  const globalTaint = new Map<string, Taint>();

  // The current scope's state.
  let tainted = new Map<string, Taint>();
  let scopeEntry: Entry | undefined;
  const search = new SubtreeSearch((n) => {
    if (sanitizers.has(n.id)) return null;
    if (n.type === "call") {
      if (f.llmCalls.has(n.id)) {
        const c = callById.get(n.id)!;
        return encode({ kind: "model", what: "the model answer", source: c.name, row: n.startPosition.row });
      }
      const callee = calleeOf.get(n.id);
      const r = callee ? returns.get(callee.id) : undefined;
      if (r) return encode(r);
      const elsewhere = cross?.symbolic ? crossCallee.get(n.id) : undefined;
      if (elsewhere) {
        let t = crossTaint.get(n.id);
        if (!t) crossTaint.set(n.id, (t = { kind: "import", what: `the result of ${elsewhere}`, source: elsewhere, row: n.startPosition.row }));
        return encode(t);
      }
      if (retrievedCalls.has(n.id)) {
        const c = callById.get(n.id)!;
        return encode({ kind: "input", what: "retrieved documents", source: c.name, row: n.startPosition.row });
      }
    }
    const input = inputNodes.get(n.id);
    if (input) {
      const { entryFromScope, ...t } = input;
      const entry = entryFromScope ? (scopeEntry ?? streamlitEntryFor(t.source)) : undefined;
      return encode({ ...t, ...(entry ? { entry } : {}) });
    }
    if (n.type === "identifier" || n.type === "attribute") {
      const key = shortText(n)?.replace(/\s+/g, "");
      if (key !== undefined) {
        const t = tainted.get(key) ?? globalTaint.get(key);
        if (t) return encode(t);
      }
    }
    return undefined;
  }, 2 * searchBudget(root));
  // SubtreeSearch caches strings: taints are kept in a table and referred to by index.
  const table: Taint[] = [];
  const index = new Map<Taint, string>();
  function encode(t: Taint): string {
    let k = index.get(t);
    if (k === undefined) {
      k = String(table.length);
      table.push(t);
      index.set(t, k);
    }
    return k;
  }
  function streamlitEntryFor(source: string): Entry | undefined {
    return source.startsWith("streamlit") ? streamlitEntry : undefined;
  }
  const mentions = (n: Node | null | undefined): Taint | undefined => {
    const k = search.find(n);
    return k === undefined ? undefined : table[Number(k)];
  };
  const keyOf = (n: Node) => shortText(n)?.replace(/\s+/g, "");
  const setTaint = (target: Node, t: Taint, scopeFn: Node | undefined) => {
    const k = keyOf(target);
    if (k === undefined) return;
    if ((tainted.get(k) ?? globalTaint.get(k)) === t) return;
    tainted.set(k, t);
    search.invalidate();
    // Shared keys: self.x for the class's other methods; module names and attribute chains on
    // imported modules (st.session_state.x) for every scope.
    if (scopeFn && /^self\./.test(k)) {
      const cls = classOf.get(scopeFn.id);
      if (cls) {
        let m = classTaint.get(cls.id);
        if (!m) classTaint.set(cls.id, (m = new Map()));
        if (!m.has(k)) {
          m.set(k, t);
          for (const fn of functions) if (classOf.get(fn.id) === cls && fn.id !== scopeFn.id) enqueue(fn);
        }
      }
    } else if ((!scopeFn && target.type === "identifier") || (target.type === "attribute" && isModuleRooted(k))) {
      if (!globalTaint.has(k)) {
        globalTaint.set(k, t);
        const last = k.split(".").pop()!;
        for (const fn of functions) if (fn.id !== scopeFn?.id && usesName(fn, last)) enqueue(fn);
        if (scopeFn) moduleDirty = true;
      }
    }
  };
  const moduleNames = new Set<string>();
  for (const st of root.namedChildren) {
    const a = st?.type === "expression_statement" ? st.namedChildren[0] : undefined;
    const l = a?.type === "assignment" ? a.childForFieldName("left") : undefined;
    if (l?.type === "identifier") moduleNames.add(l.text);
  }
  const isModuleRooted = (k: string) => {
    const head = k.split(".")[0]!;
    return head !== "self" && head !== "cls" && (moduleNames.has(head) || /^(st|streamlit)$/.test(head));
  };
  const targetsOf = (left: Node | null): Node[] =>
    left?.type === "identifier" || left?.type === "attribute" || left?.type === "subscript"
      ? [left.type === "subscript" ? left.childForFieldName("value") ?? left : left]
      : (left?.descendantsOfType("identifier").filter((x): x is Node => !!x) ?? []);
  const isTemplate = (n: Node | null | undefined): boolean => {
    if (!n) return false;
    if (n.type === "string") return n.namedChildren.some((c) => c?.type === "interpolation");
    if (n.type === "binary_operator") return (n.childForFieldName("operator")?.text === "+" || n.childForFieldName("operator")?.text === "%") && (n.descendantsOfType("string").length > 0);
    if (n.type === "call") return n.childForFieldName("function")?.type === "attribute" && n.childForFieldName("function")?.childForFieldName("attribute")?.text === "format" && n.childForFieldName("function")?.childForFieldName("object")?.type === "string";
    return false;
  };

  // Reported once each.
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
  for (const ch of f.chainOf.values()) {
    const v = ch.value;
    if (!v || (v.type !== "call" && v.type !== "binary_operator")) continue;
    const made = v.type === "call" ? callById.get(v.id) : undefined;
    const capped = (made && [...made.kwargs.keys()].some((k) => TOKEN_CAP.test(k))) || v.descendantsOfType("identifier").slice(0, 200).some((x) => !!x && cappedClients.has(x.text));
    if (capped) for (const l of ch.targets) if (l.type === "identifier") cappedClients.add(l.text);
  }
  /** Clients constructed with a key the user typed in (OpenAI(api_key=st.text_input(...))). */
  const ownKeyClients = new Set<string>();
  const byokCall = (c: PyCall) => [...c.kwargs].some(([k, v]) => /^(\w+_)?(api_?key|token)$/i.test(k) && mentions(v)?.kind === "input");

  const sinkArgs = (c: PyCall, s: FlowSink): Node[] => {
    if (!s.args && !s.kw) return [...c.positional, ...c.kwargs.values()];
    const picked: Node[] = [];
    for (const i of s.args ?? []) if (c.positional[i]) picked.push(c.positional[i]!);
    for (const k of s.kw ?? []) if (c.kwargs.get(k)) picked.push(c.kwargs.get(k)!);
    return picked;
  };
  const sinkApplies = (c: PyCall, s: FlowSink): boolean => {
    if (s.when) {
      const v = c.kwargs.get(s.when.kwarg);
      if (s.when.equals === true && v?.type !== "true") return false;
    }
    if (s.writeMode) {
      const mode = c.positional[1] ?? c.kwargs.get("mode");
      if (!mode || !/[wax+]/.test(mode.text)) return false;
    }
    return true;
  };
  const where = (row: number) => `{at:${row}}`;

  const onSink = (c: PyCall, s: FlowSink, t: Taint) => {
    if (cross?.symbolic) {
      const line = c.node.startPosition.row + 1;
      const column = c.node.startPosition.column + 1;
      if (t.kind === "param") addParamSink(cross.summary, t.source, { index: t.index ?? 0, name: t.what, sink: c.name, sinkKind: s.kind ?? "code", line, column });
      else if (t.kind === "import") addResultSink(cross.summary, { callee: t.source, sink: c.name, sinkKind: s.kind ?? "code", calledAt: t.row + 1, line, column });
      return;
    }
    if (t.kind === "param" || t.kind === "import") return;
    const what = s.what ?? c.name;
    const path = `${where(c.node.startPosition.row)} ${sinkPhrase(s.kind ?? "code", `${t.kind === "model" ? "the model answer" : t.what} from ${where(t.row)}`)}`;
    if (t.kind === "model") {
      report({ kind: "code.output-to-sink", ...at(c.node), message: `model output from ${short(t.source)}() reaches ${what} (${c.name}) without encoding or validation: ${path}`, key: `${t.source}->${c.name}`, data: { source: t.source, sink: c.name, sinkKind: what, sourceLine: t.row + 1, flow: path } });
    } else if (t.kind === "tool") {
      report({ kind: "code.tool-input-to-sink", ...at(c.node), message: `the tool "${t.tool}" passes the argument the model chooses to ${what} (${c.name}): ${path}`, key: `${t.tool}->${c.name}`, data: { tool: t.tool, sink: c.name, sinkKind: what, sourceLine: t.row + 1, flow: path } });
    } else {
      report({ kind: "code.input-to-sink", ...at(c.node), message: `${t.what} (${t.source}) reaches ${what} (${c.name}) without validation: ${path}`, key: `${t.source}->${c.name}`, data: { source: t.source, sink: c.name, sinkKind: what, sourceLine: t.row + 1, framework: t.entry?.framework ?? null, what: t.what, flow: path } });
    }
  };

  // The worklist: the module first, then functions as taint reaches them.
  const visits = new Map<number, number>();
  const queue: (Node | undefined)[] = [];
  const queued = new Set<number>();
  let moduleDirty = false;
  function enqueue(fn: Node) {
    if (symbolicScope && !symbolicScope.has(fn.id)) return;
    if (queued.has(fn.id) || (visits.get(fn.id) ?? 0) >= MAX_VISITS) return;
    queued.add(fn.id);
    queue.push(fn);
  }
  const analyse = (scopeFn: Node | undefined) => {
    // Module-level taint is read through (globalTaint) rather than copied into every scope.
    tainted = new Map();
    scopeEntry = scopeFn ? entries.get(scopeFn.id) : undefined;
    if (!scopeEntry && streamlit && !scopeFn) scopeEntry = streamlitEntry;
    if (scopeFn) {
      const cls = classOf.get(scopeFn.id);
      for (const [k, t] of (cls && classTaint.get(cls.id)) ?? []) tainted.set(k, t);
      for (const [k, t] of seeds.get(scopeFn.id) ?? []) tainted.set(k, t);
    }
    search.invalidate();
    const start = scopeFn ? scopeFn.childForFieldName("body") ?? scopeFn : root;
    const events = eventsIn(start, (t) => FLOW_EVENTS.has(t), (t) => SCOPE_BARRIERS.has(t));
    // A loop's body is read twice: a value assigned late in one iteration reaches the next one's
    // earlier lines (`while True: run(last); last = ask_model(...)`).
    const loops = start.descendantsOfType(["while_statement", "for_statement"]).filter((x): x is Node => !!x).slice(0, 200);
    const inLoop = (n: Node) => loops.some((l) => n.startIndex >= l.startIndex && n.endIndex <= l.endIndex && n.id !== l.id);
    const again = loops.length ? events.filter(inLoop) : [];
    for (const node of again.length ? [...events, ...again] : events) {
      switch (node.type) {
        case "assignment": {
          if (f.chainInner.has(node.id)) break;
          const ch = f.chainOf.get(node.id);
          if (!ch) break;
          const t = mentions(ch.value);
          if (!t) break;
          const made = ch.value?.type === "call" ? callById.get(ch.value.id) : undefined;
          // ... and what is built from such a client (an agent or chain around it).
          const fromOwn = made && (byokCall(made) || [...made.positional, ...made.kwargs.values()].some((a) => a.type === "identifier" && ownKeyClients.has(a.text)));
          if (fromOwn) for (const l of ch.targets) if (l.type === "identifier") ownKeyClients.add(l.text);
          const t2 = t.kind === "input" && isTemplate(ch.value) && !t.templated ? { ...t, templated: true } : t;
          for (const l of ch.targets) for (const x of targetsOf(l)) setTaint(x, t2, scopeFn);
          break;
        }
        case "augmented_assignment":
        case "for_statement": {
          const t = mentions(node.childForFieldName("right"));
          if (t) for (const x of targetsOf(node.childForFieldName("left"))) setTaint(x, t, scopeFn);
          break;
        }
        case "named_expression": {
          const t = mentions(node.childForFieldName("value"));
          const name = node.childForFieldName("name");
          if (t && name) setTaint(name, t, scopeFn);
          break;
        }
        case "as_pattern": {
          const value = node.namedChildren[0];
          const alias = node.childForFieldName("alias")?.namedChildren[0];
          const t = mentions(value);
          if (t && alias) for (const x of targetsOf(alias)) setTaint(x, t, scopeFn);
          break;
        }
        case "return_statement":
        case "yield": {
          const t = mentions(node.namedChildren[0]);
          // A parameter returned is the caller's own value, not a source.
          if (t && t.kind !== "param" && scopeFn && !returns.has(scopeFn.id)) {
            returns.set(scopeFn.id, t);
            search.invalidate();
            // Every scope that calls this function reads it again.
            for (const caller of callersOf.get(scopeFn.id) ?? []) {
              if (caller) enqueue(caller);
              else moduleDirty = true;
            }
          }
          break;
        }
        case "call":
          onCall(node, scopeFn);
          break;
      }
    }
  };

  const onCall = (node: Node, scopeFn: Node | undefined) => {
    const c = callById.get(node.id);
    if (!c) return;
    // Containers filled with tainted values: `parts.append(answer)`.
    const fnNode = node.childForFieldName("function");
    if (fnNode?.type === "attribute" && /^(append|extend|insert|add|update|appendleft|put)$/.test(fnNode.childForFieldName("attribute")?.text ?? "")) {
      const t = [...c.positional, ...c.kwargs.values()].map((a) => mentions(a)).find(Boolean);
      const obj = fnNode.childForFieldName("object");
      if (t && obj && (obj.type === "identifier" || obj.type === "attribute")) setTaint(obj, t, scopeFn);
    }
    // Into the file's own functions, through their parameters.
    const callee = calleeOf.get(node.id);
    if (callee) {
      const ps = realParams(callee);
      c.positional.forEach((a, i) => {
        const t = a.type === "list_splat" || a.type === "dictionary_splat" ? undefined : mentions(a);
        if (t && ps[i] && seed(callee, ps[i]!.name, t)) enqueue(callee);
      });
      for (const [k, v] of c.kwargs) {
        const t = mentions(v);
        if (t && ps.some((p) => p.name === k) && seed(callee, k, t)) enqueue(callee);
      }
      if (cross?.symbolic && handedOn.length < 1000) {
        const args: [number | string, Node][] = [...c.positional.map((a, i) => [i, a] as [number, Node]), ...c.kwargs];
        for (const [k, a] of args) {
          const t = mentions(a);
          if (t?.kind === "param") handedOn.push({ caller: t.source, index: t.index ?? 0, name: t.what, callee, arg: k });
        }
      }
    }
    // Into functions defined in other files: what the summary tells them.
    const elsewhere = crossCallee.get(node.id);
    if (cross && elsewhere) {
      const line = node.startPosition.row + 1;
      const column = node.startPosition.column + 1;
      const args: [number | string, Node][] = [...c.positional.map((a, i) => [i, a] as [number, Node]), ...c.kwargs];
      for (const [k, a] of args) {
        if (a.type === "list_splat" || a.type === "dictionary_splat") continue;
        const t = mentions(a);
        if (!t) continue;
        if (!cross.symbolic && (t.kind === "model" || t.kind === "input" || t.kind === "tool")) addUse(cross.summary, { callee: elsewhere, arg: k, taint: ref(t), line, column });
        else if (cross.symbolic && t.kind === "param") addParamSink(cross.summary, t.source, { index: t.index ?? 0, name: t.what, line, column, via: { callee: elsewhere, arg: k } });
        else if (cross.symbolic && t.kind === "import" && t.source !== elsewhere) addUse(cross.summary, { callee: elsewhere, arg: k, taint: ref(t), line, column });
      }
    }
    // A callable the model picked: `functions[name](**args)`, `get_function(name)(...)`.
    if (fnNode && (fnNode.type === "call" || fnNode.type === "subscript" || (fnNode.type === "identifier" && (tainted.has(fnNode.text) || globalTaint.has(fnNode.text))))) {
      const t = mentions(fnNode);
      if (t?.kind === "model") {
        const scopeText = scopeFn?.text ?? "";
        const approved = calls.some((x) => (scopeFn ? fnAround.get(x.node.id) === scopeFn : true) && x.node.startIndex < node.startIndex && approvalRe.test(x.name)) || (scopeText && /\binput\(|confirm|approve/i.test(scopeText.slice(0, node.startIndex - (scopeFn?.startIndex ?? 0))));
        if (!approved) {
          report({
            kind: "code.dynamic-tool-dispatch",
            ...at(node),
            message: `${where(node.startPosition.row)} calls the function the model names (${shortText(fnNode) ?? "a computed callable"}), from the model answer at ${where(t.row)}, with no approval step before it runs`,
            key: `dispatch:${shortText(fnNode)?.replace(/\s+/g, "") ?? node.startPosition.row}`,
            data: { callee: shortText(fnNode) ?? "a computed callable", source: t.source, sourceLine: t.row + 1, sourceAt: where(t.row) },
          });
        }
      }
    }
    // The model call itself: fed by users without limits, or given a prompt built from input.
    if (f.llmCalls.has(node.id)) {
      const args = [...c.positional, ...c.kwargs.values()];
      let fed: Taint | undefined;
      for (const a of args) {
        const t = mentions(a);
        if (t?.kind === "input") fed ??= t;
        // An f-string, + or .format built from input inside the call's arguments. Input typed by
        // the person running the program (console, arguments) is theirs to phrase.
        const built = t?.kind === "input" && !t.local && (t.templated || [a, ...a.descendantsOfType(["string", "binary_operator", "call"]).filter((x): x is Node => !!x).slice(0, 200)].some((x) => isTemplate(x) && mentions(x)?.kind === "input"));
        if (built && t) {
          report({
            kind: "code.input-into-prompt",
            ...at(node),
            message: `${t.what} (${t.source}) from ${where(t.row)} is pasted into the prompt of ${c.name}() at ${where(node.startPosition.row)}: instructions and untrusted text share one string`,
            key: `prompt:${t.source}->${c.name}`,
            data: { source: t.source, call: c.name, sourceLine: t.row + 1, what: t.what, sourceAt: where(t.row) },
          });
        }
      }
      // A client built from the user's own key (a password field in the UI): the user pays.
      const clientRoot = fnNode ? keyOf(fnNode)?.split(".")[0] : undefined;
      const ownKey = (clientRoot !== undefined && ownKeyClients.has(clientRoot)) || byokCall(c);
      // Authenticated users with a cap on what one call may generate: bounded, if not rate-limited.
      const capped = [...c.kwargs].some(([k, v]) => TOKEN_CAP.test(k) && mentions(v)?.kind !== "input") || (clientRoot !== undefined && cappedClients.has(clientRoot));
      if (fed?.entry && !rateLimited && !ownKey && !(fed.entry.authenticated && capped)) {
        const e = fed.entry;
        const k = `${e.framework}:${e.name}:${e.row}`;
        if (!unboundedEntries.has(k)) {
          unboundedEntries.add(k);
          report({
            kind: "code.unbounded-model-calls",
            ...at(node),
            message: `${e.framework === "streamlit" ? "the Streamlit app" : `${e.framework} entry point ${e.name}`} calls the model (${c.name}) at ${where(node.startPosition.row)} with ${fed.what} from ${where(fed.row)}, and nothing in the file limits how often (no rate limiter${e.authenticated ? "" : ", no authentication"})`,
            key: `unbounded:${e.framework}:${e.name}`,
            data: { framework: e.framework, entry: e.name, call: c.name, authenticated: e.authenticated, caller: e.framework === "streamlit" ? "the Streamlit app" : `${e.framework} entry point ${e.name}`, input: `${fed.what} from ${where(fed.row)}`, missing: `no rate limiter${e.authenticated ? "" : ", no authentication"}` },
          });
        }
      }
      return;
    }
    // A retrieval store written from an unauthenticated route.
    if (anyName(F.retrievalWrites, c.name)) {
      const t = [...c.positional, ...c.kwargs.values()].map((a) => mentions(a)).find((x) => x?.kind === "input" && x.entry && !x.entry.authenticated && x.entry.framework !== "streamlit" && x.entry.framework !== "gradio");
      if (t?.entry) {
        report({
          kind: "code.unauthenticated-retrieval-write",
          ...at(node),
          message: `${t.entry.framework} route ${t.entry.name} (${where(t.entry.row)}) has no authentication and writes ${t.what} from ${where(t.row)} into the retrieval store (${c.name}) at ${where(node.startPosition.row)}: anyone can plant text that other users' prompts are built from`,
          key: `retrieval-write:${t.entry.name}:${c.name}`,
          data: { framework: t.entry.framework, entry: t.entry.name, call: c.name, what: t.what, entryAt: where(t.entry.row) },
        });
      }
    }
    // Sinks.
    const sink = sinks.find((s) => anyName([s.pattern], c.name) && sinkApplies(c, s));
    if (sink) {
      const t = sinkArgs(c, sink).map((a) => mentions(a)).find((x) => x && !x.local);
      if (t) onSink(c, sink, t);
    }
  };

  function summarise(x: PyCrossFile) {
    summariseReturns(x.summary, x.symbolic, functions, fnKey, returns);
    if (!x.symbolic) return;
    // A parameter handed to a file function whose parameter reaches a sink reaches it too.
    for (let round = 0; round < 3; round++) {
      let added = false;
      for (const h of handedOn) {
        const calleeKey = fnKey.get(h.callee.id);
        if (!calleeKey) continue;
        const ps = realParams(h.callee);
        const target = typeof h.arg === "number" ? h.arg : ps.findIndex((p) => p.name === h.arg);
        for (const ps2 of x.summary.functions[calleeKey]?.sinks ?? []) {
          if (ps2.index !== target) continue;
          const before = x.summary.functions[h.caller]?.sinks?.length ?? 0;
          addParamSink(x.summary, h.caller, { ...ps2, index: h.index, name: h.name });
          if ((x.summary.functions[h.caller]?.sinks?.length ?? 0) > before) added = true;
        }
      }
      if (!added) break;
    }
  }

  analyse(undefined);
  for (const fn of functions) if (seeds.has(fn.id) || entries.has(fn.id) || toolOf.has(fn.id)) enqueue(fn);
  // Everything else once, so returns are known (functions that call the model and return its answer).
  for (const fn of functions) enqueue(fn);
  let rounds = 0;
  while (queue.length || moduleDirty) {
    if (++rounds > 50 * (functions.length + 2)) break;
    const fn = queue.shift();
    if (fn) {
      queued.delete(fn.id);
      visits.set(fn.id, (visits.get(fn.id) ?? 0) + 1);
      analyse(fn);
    } else if (moduleDirty) {
      moduleDirty = false;
      if ((visits.get(root.id) ?? 0) >= MAX_VISITS) break;
      visits.set(root.id, (visits.get(root.id) ?? 0) + 1);
      analyse(undefined);
    }
  }

  if (cross) summarise(cross);

  // Inference UIs served on every interface (or a public share link) without authentication.
  const servesModel = f.llmCalls.size > 0 || out.hits.some((h) => h.kind === "code.unsafe-load") || calls.some((c) => /\.(from_pretrained|predict|generate|pipeline)$/.test(c.name));
  for (const c of calls) {
    const exposure = F.exposure.find((e) => anyName([e.pattern], c.name));
    if (!exposure) continue;
    if (exposure.requiresModel && !servesModel) continue;
    const problems: string[] = [];
    for (const [kw, val] of Object.entries(exposure.kwargs)) {
      const v = c.kwargs.get(kw);
      if (!v) continue;
      const text = v.type === "string" ? v.namedChildren.filter((x) => x?.type === "string_content").map((x) => x!.text).join("") : v.text;
      if (val.includes(text)) problems.push(`${kw}=${v.text}`);
    }
    if (!problems.length) continue;
    if (exposure.authKwargs.some((k) => c.kwargs.has(k)) || (exposure.fileAuth && appAuth)) continue;
    // A chained call (`gr.Interface(...).queue().launch(...)`) is located at its method name.
    const method = c.node.childForFieldName("function")?.childForFieldName("attribute") ?? c.node;
    const why = problems.map((p) => exposure.explain[p.split("=")[0]!]).filter(Boolean).join("; ");
    report({
      kind: "code.exposed-inference-ui",
      ...at(method),
      message: `${c.name}(${problems.join(", ")}) at ${where(method.startPosition.row)} ${exposure.what}${why ? ` (${why})` : ""}`,
      key: `exposed:${c.name}:${problems.join(",")}`,
      data: { call: c.name, settings: problems, arguments: problems.join(", "), what: exposure.what, why: why ? ` (${why})` : "" },
    });
  }
}

export interface PythonFlowData {
  inputCalls: CallPattern[];
  inputAttributes: CallPattern[];
  retrieved: string[];
  sanitizers: string[];
  sinks: FlowSink[];
  safeFilterSinks: FlowSink[];
  retrievalWrites: string[];
  routeDecorators: { pattern: string; framework: string }[];
  gradioCallbacks: string[];
  toolMethods: string[];
  authNames: string;
  approvalCalls: string;
  rateLimitModules: string[];
  streamlitAuth: string;
  exposure: { pattern: string; kwargs: Record<string, string[]>; explain: Record<string, string>; authKwargs: string[]; fileAuth: boolean; requiresModel: boolean; what: string }[];
}

