// Data flow in one JavaScript/TypeScript file, the counterpart of ../python/flow.ts: model answers
// (OpenAI, Anthropic, Vercel AI SDK, LangChain.js runnables invoked, streamed or batched), untrusted
// input (routes.ts) and model-chosen tool arguments (sources.ts), to sinks (sinks.ts), through
// declarations, assignments, members, containers, template strings, returns and calls of the
// file's own functions (propagation.ts); model calls fed by users (model-calls.ts); what other
// files need to know (summary.ts). This file reads the scopes: the module first, then each
// function, and a scope again (up to a bound) only when new taint reaches it; each read is linear.
import type { Node } from "web-tree-sitter";
import type { CrossFile } from "../flow-steps.js";
import type { FileAnalysis } from "../model.js";
import type { FlowSink } from "../sinks.js";
import { ScopeEvents } from "../tree-walk.js";
import type { JsFile } from "./context.js";
import { FUNCTION_TYPES } from "./functions.js";
import { onModelCall } from "./model-calls.js";
import { FlowPass, type FlowInputs } from "./pass.js";
import { onArrowBody, onAssignment, onForIn, onReturn, passArguments } from "./propagation.js";
import { noteAppLimiter, seedEntries } from "./routes.js";
import { checkCallSink, checkDispatch, checkRetrievalWrite, onJsxAttribute } from "./sinks.js";
import { seedToolArguments } from "./sources.js";
import { findCrossCallees, seedSymbols, summarise } from "./summary.js";

/** The flow's data for JS/TS (policies/code/patterns.json, `flow.js`). */
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

const FLOW_EVENTS = new Set([
  "variable_declarator",
  "assignment_expression",
  "augmented_assignment_expression",
  "call_expression",
  "new_expression",
  "jsx_attribute",
  "return_statement",
  "for_in_statement",
]);

/** The index of a JS/TS file's scopes (tree-walk.ts ScopeEvents). */
export const jsScopes = (root: Node) => new ScopeEvents(root, FLOW_EVENTS, FUNCTION_TYPES);

/** Reads the file's data flow into `out` (the plain pass) or, with `cross`, also into its summary. */
export function jsFlow(file: JsFile, inputs: FlowInputs, out: FileAnalysis, cross?: CrossFile): void {
  const p = new FlowPass(file, inputs, out, cross);
  if (cross && !cross.symbolic) noteAppLimiter(p, cross.summary);
  seedEntries(p);
  seedToolArguments(p);
  if (cross) findCrossCallees(p);
  if (cross?.symbolic && !seedSymbols(p)) return;
  readScope(p, undefined);
  for (const fn of file.fns.list) if (p.seeds.has(fn)) p.queue.enqueue(fn);
  for (const fn of file.fns.list) p.queue.enqueue(fn);
  p.queue.drain(file.root, file.fns.list.length, (scope) => readScope(p, scope));
  if (cross) summarise(p, cross);
}

/** One read of a scope (undefined: the module), its events in source order. */
function readScope(p: FlowPass, scopeFn: Node | undefined): void {
  p.enterScope(scopeFn);
  const start = scopeFn ? (scopeFn.childForFieldName("body") ?? scopeFn) : p.file.root;
  const chainInner = new Set<number>();
  const events = p.file.scopes.of(start, () => {
    const list = p.file.scopes.eventsOf(start, scopeFn);
    // An arrow function's expression body is itself an event (`(q) => llm.invoke(q)`).
    if (scopeFn && start !== scopeFn && FLOW_EVENTS.has(start.type)) list.unshift(start);
    return list;
  });
  for (const node of events) {
    switch (node.type) {
      case "variable_declarator":
      case "assignment_expression":
      case "augmented_assignment_expression":
        onAssignment(p, node, chainInner);
        break;
      case "for_in_statement":
        onForIn(p, node);
        break;
      case "jsx_attribute":
        onJsxAttribute(p, node);
        break;
      case "return_statement":
        onReturn(p, node, scopeFn);
        break;
      default:
        onCall(p, node, scopeFn);
    }
  }
  if (scopeFn?.type === "arrow_function") onArrowBody(p, scopeFn);
}

function onCall(p: FlowPass, node: Node, scopeFn: Node | undefined): void {
  const c = p.file.names.callAt.get(node.id);
  if (!c) return;
  const fnNode = node.type === "new_expression" ? null : node.childForFieldName("function");
  passArguments(p, node, c, fnNode);
  checkDispatch(p, node, fnNode, scopeFn);
  if (p.inputs.llmCalls.has(node.id)) {
    onModelCall(p, node, c, fnNode);
    return;
  }
  checkRetrievalWrite(p, node, c);
  checkCallSink(p, node, c);
}
