// What one data-flow pass over a Python file shares between its parts (flow.ts builds it): the
// file, what is known before reading (its functions, entry points, sources, seeds, sinks, limits),
// what reading finds (the taint of names, what functions return), the worklist of functions to
// read (again), and the reporter that keeps each finding once (../flow-steps.ts).
import type { CrossFile, HandedOn, Seeds, Worklist } from "../flow-steps.js";
import type { Taint } from "../flow-taint.js";
import type { Hit } from "../model.js";
import type { FlowSink } from "../sinks.js";
import type { PyFile } from "./context.js";
import type { PythonFlowData } from "./data.js";
import type { OwnFunctions } from "./functions.js";
import type { Limits } from "./limits.js";
import type { EntryPoints } from "./routes.js";
import type { Sources } from "./sources.js";
import type { TaintState } from "./taint.js";

export interface Flow {
  /** The file; hits go to file.out (the symbolic pass's is thrown away). */
  file: PyFile;
  /** The summary this pass writes to, and whether it is the symbolic pass; undefined: no summary. */
  cross: CrossFile | undefined;
  /** The data (policies/code/patterns.json flow.python). */
  F: PythonFlowData;
  /** The sinks that apply to this file. */
  sinks: FlowSink[];
  fns: OwnFunctions;
  entries: EntryPoints;
  seeds: Seeds;
  /** Functions whose parameters the model chooses, with the tool's name. */
  toolOf: Map<number, string>;
  sources: Sources;
  limits: Limits;
  /** What a call of each file function returns, by function node id. */
  returns: Map<number, Taint>;
  /** Calls of functions defined in other files (summary.ts), with the callee's name. */
  crossCallee: Map<number, string>;
  /** Symbolic pass: the result of each such call as a source of its own. */
  crossTaint: Map<number, Taint>;
  /** Symbolic pass: parameters handed on to the file's own functions. */
  handedOn: HandedOn[];
  taint: TaintState;
  work: Worklist;
  /** Adds a hit to file.out, each (kind, place, key) once. */
  report: (h: Hit) => void;
}
