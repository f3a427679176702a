// One Python file as every part of its analysis sees it: the tree and text, what its names and
// calls resolve to (names.ts), its assignment chains (syntax.ts), the model calls found in it
// (evidence.ts) and the FileAnalysis the parts fill.
import type { Node } from "web-tree-sitter";
import type { FileAnalysis } from "../model.js";
import type { PyCall, PyNames } from "./names.js";
import type { AssignmentChains } from "./syntax.js";
import type { ScopeEvents } from "../tree-walk.js";
import type { OwnFunctions } from "./functions.js";
import type { Sources } from "./sources.js";

export interface PyFile {
  root: Node;
  text: string;
  out: FileAnalysis;
  names: PyNames;
  /** Every call in source order, with the qualified name of what it calls. */
  calls: PyCall[];
  callById: Map<number, PyCall>;
  chains: AssignmentChains;
  /** Calls of a model, by node id (filled by evidence.ts modelCalls). */
  llmCalls: Set<number>;
  /** What each scope's read visits (propagation.ts). */
  scopes: ScopeEvents;
  /** What the data flow's passes know before reading, alike in each (flow.ts); set by the first. */
  flowKnown?: { fns: OwnFunctions; sources: Sources; crossCallee?: Map<number, string> };
}
