// Jupyter notebooks: the code cells joined into one Python text, with a map from each line back to
// its cell, its line in the cell and its position in the .ipynb file (read with jsonc-parser, which
// keeps offsets). IPython magics and shell escapes (`%`, `!`) become blank lines.
import { findNodeAtLocation, parseTree, type Node as JsonNode, type ParseError } from "jsonc-parser";
import { LineIndex } from "../dependencies/text.js";

export interface NotebookLine {
  cell: number;
  cellLine: number;
  /** Position in the .ipynb file of a column of this line (JSON escapes taken into account). */
  locate(column: number): { line: number; column: number };
}

/** Offset in the raw JSON string literal (without its quotes) of the `decoded`-th decoded character. */
function rawOffset(raw: string, decoded: number): number {
  let i = 0;
  for (let d = 0; d < decoded && i < raw.length; d++) i += raw[i] === "\\" ? (raw[i + 1] === "u" ? 6 : 2) : 1;
  return i;
}

export interface NotebookSource {
  text: string;
  lines: NotebookLine[];
}

const source_text = (rawText: string, node: JsonNode): string => rawText.slice(node.offset + 1, node.offset + node.length - 1);

export function notebookSource(raw_text: string): NotebookSource | { error: string; line: number; column: number } {
  const errors: ParseError[] = [];
  const tree = parseTree(raw_text, errors, { allowTrailingComma: false, disallowComments: true });
  const index = new LineIndex(raw_text);
  if (!tree || errors.length > 0) {
    const p = index.position(errors[0]?.offset ?? 0);
    return { error: "invalid notebook JSON", line: p.line, column: p.column };
  }
  const cells = findNodeAtLocation(tree, ["cells"]);
  if (!cells || cells.type !== "array") return { error: "notebook has no `cells` array", line: 1, column: 1 };
  const text: string[] = [];
  const lines: NotebookLine[] = [];
  (cells.children ?? []).forEach((cell: JsonNode, i: number) => {
    if (findNodeAtLocation(cell, ["cell_type"])?.value !== "code") return;
    const source = findNodeAtLocation(cell, ["source"]);
    const parts: JsonNode[] = source?.type === "array" ? (source.children ?? []) : source?.type === "string" ? [source] : [];
    let cellLine = 0;
    for (const part of parts) {
      if (typeof part.value !== "string") continue;
      const raw = source_text(raw_text, part);
      let decodedStart = 0;
      for (const l of (part.value as string).replace(/\n$/, "").split("\n")) {
        cellLine++;
        text.push(/^\s*[%!]/.test(l) ? "" : l);
        const start = decodedStart;
        lines.push({ cell: i + 1, cellLine, locate: (column) => index.position(part.offset + 1 + rawOffset(raw, start + column)) });
        decodedStart += l.length + 1;
      }
    }
    // A blank line between cells keeps one cell's open block from swallowing the next.
    text.push("");
    lines.push({ cell: i + 1, cellLine: cellLine + 1, locate: () => index.position(cell.offset) });
  });
  return { text: text.join("\n"), lines };
}
