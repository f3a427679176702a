// One Python file as every part of its analysis sees it: the tree and text, what its names and
// calls resolve to (names.ts), its assignment chains (syntax.ts), the model calls found in it
// (evidence.ts) and the FileAnalysis the parts fill; with the small position helpers they share.
import type { Node } from "web-tree-sitter";
import type { FileAnalysis } from "../model.js";
import type { PyCall, PyNames } from "./names.js";
import type { AssignmentChains } from "./syntax.js";

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
}

/** Every node of these types below `root`, in source order. */
export const nodesOf = (root: Node, ...types: string[]): Node[] => root.descendantsOfType(types).filter((n): n is Node => !!n);

/** A node's 0-based position, as hits, tools and evidence record it. */
export const at = (n: Node) => ({ row: n.startPosition.row, column: n.startPosition.column });

/** A place in a message, written as the reporter's `{at:row}` reference. */
export const where = (row: number) => `{at:${row}}`;
