// Where a node of a scanned file is, as hits, tools and evidence record it and as messages refer
// to it: the same for both languages.
import type { Node } from "web-tree-sitter";

/** A node's 0-based position, as hits, tools and evidence record it. */
export const at = (n: Node) => ({ row: n.startPosition.row, column: n.startPosition.column });

/** A place in a message, written as the reporter's `{at:row}` reference. */
export const where = (row: number) => `{at:${row}}`;
