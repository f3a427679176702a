// One JavaScript/TypeScript file as every part of its analysis sees it: the tree and text, the
// names its calls resolve to (names.ts), its own functions (functions.ts) and the FileAnalysis the
// parts fill; with the small position helpers they share.
import type { Node } from "web-tree-sitter";
import type { FileAnalysis } from "../model.js";
import type { OwnFunctions } from "./functions.js";
import type { JsNames } from "./names.js";

export interface JsFile {
  root: Node;
  text: string;
  /** The file's path in the repository: Next.js route handlers are known by it. */
  path: string | undefined;
  out: FileAnalysis;
  names: JsNames;
  /** Every variable_declarator, in source order (names, functions, tools, token caps read them). */
  declarators: Node[];
  fns: OwnFunctions;
}

/** Every node of these types below `root`, in source order. */
export const nodesOf = (root: Node, ...types: string[]): Node[] => root.descendantsOfType(types).filter((n): n is Node => !!n);

/** A node's 0-based position, as hits, tools and evidence record it. */
export const at = (n: Node) => ({ row: n.startPosition.row, column: n.startPosition.column });

/** A place in a message, written as the reporter's `{at:row}` reference. */
export const where = (row: number) => `{at:${row}}`;
