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
// This file runs a pass: it builds what the parts share (flow-state.ts) from what is known before
// reading (functions.ts, routes.ts, limits.ts, sources.ts, tools.ts, cross.ts), then reads the
// module and the functions taint reaches (propagation.ts, calls.ts, sinks.ts, model-calls.ts),
// then summarises (cross.ts) and looks for exposed UIs (exposure.ts). Each scope is read once per
// change of what flows into it, in source order, without recursion (tree-walk.ts); a worklist
// carries taint into the file's functions through their parameters and out through their returns,
// each function read at most MAX_VISITS times (../flow-steps.ts). Every search is linear in the
// subtree and counted against the file's budget (../flow-steps.ts TaintSearch).
import { flowWithSummary, reporter, Seeds, Worklist, type CrossFile } from "../flow-steps.js";
import { codePatterns } from "../patterns.js";
import type { PyFile } from "./context.js";
import { crossCallees, recordClasses, summarise, symbolicScope } from "./cross.js";
import { exposedUis } from "./exposure.js";
import type { Flow } from "./flow-state.js";
import { ownFunctions } from "./functions.js";
import { fileLimits } from "./limits.js";
import { readScope } from "./propagation.js";
import { entryPoints } from "./routes.js";
import { seedTools, taintAt, taintSources } from "./sources.js";
import { TaintState } from "./taint.js";
import { toolClassMethods } from "./tools.js";

/**
 * The data flow of a file into file.out; `toolFunctions` are the functions registered as tools
 * (tools.ts). With `summarise`, also what other files need to know (file.out.summary), from the
 * plain pass and a symbolic one.
 */
export function dataFlow(file: PyFile, toolFunctions: ReadonlyMap<number, string>, summarise: boolean | undefined): void {
  flowWithSummary("python", file.out, summarise, (out, cross) => pythonFlow(out === file.out ? file : { ...file, out }, toolFunctions, cross));
}

/** One pass: the plain one (hits into file.out, returns and uses into the summary) or the symbolic one. */
export function pythonFlow(file: PyFile, toolFunctions: ReadonlyMap<number, string>, cross?: CrossFile): void {
  const flow = startFlow(file, toolFunctions, cross);
  const { fns, work } = flow;
  if (cross?.symbolic) {
    work.scope = symbolicScope(flow);
    if (!work.scope) return;
  }
  readScope(flow, undefined);
  for (const fn of fns.all) if (flow.seeds.has(fn) || flow.entries.byFn.has(fn.id) || flow.toolOf.has(fn.id)) work.enqueue(fn);
  // Everything else once, so returns are known (functions that call the model and return its answer).
  for (const fn of fns.all) work.enqueue(fn);
  work.drain(file.root, fns.all.length, (fn) => readScope(flow, fn));
  if (cross) summarise(flow, cross);
  exposedUis(flow);
}

/** What is known before reading: functions, entry points and their seeds, tools, sources, limits, calls into other files. */
function startFlow(file: PyFile, toolFunctions: ReadonlyMap<number, string>, cross: CrossFile | undefined): Flow {
  const F = codePatterns().flow.python;
  // What depends on the tree alone is worked out in the first pass and kept for the second.
  const known = (file.flowKnown ??= { fns: ownFunctions(file), sources: taintSources(file, F) });
  const { fns } = known;
  if (cross && !cross.symbolic) recordClasses(file, fns, cross.summary);
  const limits = fileLimits(file, F, cross);
  const seeds = new Seeds();
  const entries = entryPoints(file, fns, F, new RegExp(F.authNames, "i"), seeds);
  // Tools: their parameters are chosen by the model.
  const toolOf = new Map(toolFunctions);
  for (const [id, tool] of toolClassMethods(fns.classes, F.toolMethods)) toolOf.set(id, tool);
  seedTools(fns, toolOf, seeds);
  const flow: Flow = {
    file,
    cross,
    F,
    // Templates rendered from the file count as HTML sinks when a template marks a value |safe.
    sinks: /\|\s*safe\b/.test(file.text) ? [...F.sinks, ...F.safeFilterSinks] : F.sinks,
    fns,
    entries,
    seeds,
    toolOf,
    sources: known.sources,
    limits,
    returns: new Map(),
    crossCallee: cross ? (known.crossCallee ??= crossCallees(file, fns)) : new Map(),
    crossTaint: new Map(),
    handedOn: [],
    taint: new TaintState(file.root, (n) => taintAt(flow, n)),
    work: new Worklist(),
    report: reporter(file.out.hits),
  };
  return flow;
}
