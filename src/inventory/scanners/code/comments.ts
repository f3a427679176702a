// A file's comments, for inline suppressions (suppressions.ts): both grammars call them `comment`.
import type { Node } from "web-tree-sitter";
import type { FileAnalysis } from "./model.js";
import { nodesOf } from "./tree-walk.js";

/** Records the file's comments: standalone when nothing but spaces precede them on their line. */
export function readComments(file: { root: Node; text: string; out: FileAnalysis }): void {
  for (const c of nodesOf(file.root, "comment")) {
    const line = file.text.slice(c.startIndex - c.startPosition.column, c.startIndex);
    file.out.comments.push({ text: c.text, row: c.startPosition.row, column: c.startPosition.column, standalone: line.trim() === "" });
  }
}
