// The state of one reading of a file's data flow (the plain pass, or the summary's symbolic pass):
// the taint each function's parameters receive and each function returns, what is tainted in the
// scope being read, the scopes still to read, and the hits reported.
import type { Node } from "web-tree-sitter";
import { reporter, Seeds, TaintSearch, Worklist, type CrossFile, type HandedOn } from "../flow-steps.js";
import type { Taint } from "../flow-taint.js";
import type { FileAnalysis, Hit } from "../model.js";
import { codePatterns } from "../patterns.js";
import { shortText } from "../tree-walk.js";
import type { JsFile } from "./context.js";
import type { JsFlowData } from "./flow.js";
import { cappedClients } from "./model-calls.js";
import { isRateLimited } from "./routes.js";
import { sanitizerCalls, sourceAt } from "./sources.js";

/** What the rest of the file's analysis found that the data flow starts from. */
export interface FlowInputs {
  /** Calls of a model (evidence.ts): their results are model answers. */
  llmCalls: Set<number>;
  /** Function nodes registered as tools, with the tool's name (tools.ts). */
  toolFunctions: Map<number, string>;
}

export class FlowPass {
  readonly F: JsFlowData = codePatterns().flow.js;
  /** Taint given to a function's parameters before it is read (entry points, tools, callers). */
  readonly seeds = new Seeds();
  /** What each function returns, once known. */
  readonly returns = new Map<number, Taint>();
  /** Calls of functions other files define (summary passes): the callee as this file names it. */
  readonly crossCallee = new Map<number, string>();
  /** Symbolic pass: the result of each call of another file's function. */
  readonly crossTaint = new Map<number, Taint>();
  /** Symbolic pass: parameters handed on to the file's own functions. */
  readonly handedOn: HandedOn[] = [];
  readonly queue = new Worklist();
  readonly sanitizers: Set<number>;
  readonly rateLimited: boolean;
  /** Clients (and what is built around them) constructed with a cap on the tokens a call generates. */
  readonly cappedClients: Set<string>;
  /** Clients constructed with a key from the request (new OpenAI({ apiKey: body.key })). */
  readonly ownKeyClients = new Set<string>();
  /** Entry points already reported for calling the model without limits. */
  readonly unboundedEntries = new Set<string>();
  /** The scope being read: names (their short text) and the taint they hold. */
  private tainted = new Map<string, Taint>();
  private readonly search: TaintSearch;
  /** Adds a hit to `out`, each (kind, place, key) once. */
  readonly report: (h: Hit) => void;

  constructor(
    readonly file: JsFile,
    readonly inputs: FlowInputs,
    readonly out: FileAnalysis,
    readonly cross: CrossFile | undefined,
  ) {
    this.rateLimited = isRateLimited(file, this.F);
    this.sanitizers = sanitizerCalls(file, this.F);
    this.search = new TaintSearch(file.root, (n) => sourceAt(this, n));
    this.cappedClients = cappedClients(file);
    this.report = reporter(out.hits);
  }

  /** Starts reading a scope (undefined: the module) with only its parameters' seeds tainted. */
  enterScope(scopeFn: Node | undefined): void {
    this.tainted = new Map(scopeFn ? this.seeds.of(scopeFn) : []);
    this.search.invalidate();
  }

  /** The taint a name (identifier or member chain) holds in the scope being read. */
  taintOf(n: Node): Taint | undefined {
    const k = shortText(n);
    return k === undefined ? undefined : this.tainted.get(k);
  }

  /** The taint an expression carries (the first tainted thing in it), if any. */
  mentions(n: Node | null | undefined): Taint | undefined {
    return this.search.find(n);
  }

  setTaint(target: Node, t: Taint): void {
    const k = shortText(target);
    if (k === undefined || this.tainted.get(k) === t) return;
    this.tainted.set(k, t);
    this.search.invalidate();
  }

  /** `fn` returns `t`: its callers are read again. */
  setReturn(fn: Node, t: Taint): void {
    this.returns.set(fn.id, t);
    this.search.invalidate();
    for (const caller of this.file.fns.callersOf.get(fn.id) ?? []) this.queue.enqueueCaller(caller);
  }
}
