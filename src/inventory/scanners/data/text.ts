// Plain-text corpora: every line is looked at, up to the row and byte budgets.
import { decodeText, lines, readHead, type FormatReader } from "./sample.js";

export const readText: FormatReader = async (file, detections, budgets) => {
  const { buf, truncated } = await readHead(file, budgets);
  const { text, binary, encoding } = decodeText(buf, truncated);
  if (binary) {
    return { format: "text", rowsSampled: 0, complete: false, notes: [], malformed: { line: 1, reason: "binary content in a text file" } };
  }
  let rows = 0;
  let complete = !truncated;
  for (const l of lines(text, truncated)) {
    if (rows >= budgets.maxRowsPerFile) {
      complete = false;
      break;
    }
    detections.cell(null, l.text, l.line, rows);
    rows++;
  }
  return { format: "text", rowsSampled: rows, complete, notes: encoding === "utf-8" ? [] : [`decoded as ${encoding}`] };
};
