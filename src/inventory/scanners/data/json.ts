// JSON Lines and JSON: each record is flattened to column paths (`messages[].content`) so that
// chat-format fine-tuning data and docstores are read like tables. A JSON array of records is
// read element by element within the byte budget, so a large file never has to fit in memory.
import type { DataDetections } from "./detect.js";
import { decodeText, lines, readHead, type FormatReader, type Malformed } from "./sample.js";

const MAX_DEPTH = 16;
const MAX_ARRAY_ITEMS = 1000;
// Keys that are ids (uuids, hashes, numbers) become "*", so docstores keyed by id give one column.
const ID_KEY = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|\d+)$/i;

/** Hands every scalar of a JSON value to the detectors, under its column path. */
export function flatten(value: unknown, path: string, emit: (column: string, value: string) => void, depth = 0): void {
  if (value === null || value === undefined || depth > MAX_DEPTH) return;
  if (typeof value === "string") emit(path || "$", value);
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") emit(path || "$", String(value));
  else if (value instanceof Date) emit(path || "$", Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10));
  else if (value instanceof Uint8Array)
    return; // binary cells (embeddings, blobs) hold no text
  else if (Array.isArray(value)) {
    for (const item of value.slice(0, MAX_ARRAY_ITEMS)) flatten(item, `${path}[]`, emit, depth + 1);
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const key = ID_KEY.test(k) ? "*" : k;
      flatten(v, path ? `${path}.${key}` : key, emit, depth + 1);
    }
  }
}

function record(detections: DataDetections, value: unknown, line: number, row: number): void {
  flatten(value, "", (column, v) => detections.cell(column, v, line, row));
}

export const readJsonLines: FormatReader = async (file, detections, budgets) => {
  const { buf, truncated } = await readHead(file, budgets);
  const { text, binary } = decodeText(buf, truncated);
  if (binary) return { format: "jsonl", rowsSampled: 0, complete: false, notes: [], malformed: { line: 1, reason: "binary content in a JSON Lines file" } };
  let rows = 0;
  let invalid = 0;
  let firstInvalid = 0;
  let complete = !truncated;
  for (const l of lines(text, truncated)) {
    if (l.text.trim() === "") continue;
    if (rows + invalid >= budgets.maxRowsPerFile) {
      complete = false;
      break;
    }
    let value: unknown;
    try {
      value = JSON.parse(l.text);
    } catch {
      // The parser's message quotes the line: never report it, only where it is.
      if (invalid++ === 0) firstInvalid = l.line;
      continue;
    }
    record(detections, value, l.line, rows);
    rows++;
  }
  const malformed: Malformed | undefined = invalid
    ? { line: firstInvalid, reason: `${invalid} line${invalid === 1 ? " is" : "s are"} not valid JSON (first at line ${firstInvalid})` }
    : undefined;
  return { format: "jsonl", rowsSampled: rows, complete, malformed, notes: [], details: { invalidLines: invalid } };
};

/** Top-level elements of a JSON array text, with the line each starts on; stops at a cut-off element. */
export function* arrayElements(text: string, from: number): Generator<{ start: number; end: number; line: number } | { error: number; line: number }> {
  let i = from + 1;
  let line = 1 + countNewlines(text, 0, i);
  const n = text.length;
  for (;;) {
    while (i < n && (text[i] === "," || /\s/.test(text[i]!))) {
      if (text[i] === "\n") line++;
      i++;
    }
    if (i >= n || text[i] === "]") return;
    const start = i;
    const startLine = line;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text[i]!;
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
        else if (c === "\n") {
          yield { error: i, line };
          return;
        }
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        if (depth === 0) break; // the closing bracket of the top-level array
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (c === "," && depth === 0) break;
      else if (c === "\n") line++;
    }
    if (i >= n && depth > 0) return; // cut off by the byte budget
    yield { start, end: i, line: startLine };
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let k = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) k++;
  return k;
}

export const readJson: FormatReader = async (file, detections, budgets) => {
  const { buf, truncated } = await readHead(file, budgets);
  const { text, binary } = decodeText(buf, truncated);
  if (binary) return { format: "json", rowsSampled: 0, complete: false, notes: [], malformed: { line: 1, reason: "binary content in a JSON file" } };
  const first = text.search(/\S/);
  if (first >= 0 && text[first] === "[") {
    let rows = 0;
    let complete = !truncated;
    for (const el of arrayElements(text, first)) {
      if ("error" in el) return { format: "json", rowsSampled: rows, complete: false, notes: [], malformed: { line: el.line, reason: "not valid JSON" } };
      if (rows >= budgets.maxRowsPerFile) {
        complete = false;
        break;
      }
      let value: unknown;
      try {
        value = JSON.parse(text.slice(el.start, el.end));
      } catch {
        return {
          format: "json",
          rowsSampled: rows,
          complete: false,
          notes: [],
          malformed: { line: el.line, reason: `array element ${rows + 1} is not valid JSON` },
        };
      }
      record(detections, value, el.line, rows);
      rows++;
    }
    return { format: "json", rowsSampled: rows, complete, notes: [] };
  }
  if (truncated) {
    return {
      format: "json",
      rowsSampled: 0,
      complete: false,
      notes: [],
      unscannedReason: `a JSON object larger than the byte budget (${budgets.maxBytesPerFile} bytes): values not sampled`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec(String((e as Error).message));
    const line = pos ? 1 + countNewlines(text, 0, Number(pos[1])) : 1;
    return { format: "json", rowsSampled: 0, complete: false, notes: [], malformed: { line, reason: "not valid JSON" } };
  }
  record(detections, value, 1, 0);
  return { format: "json", rowsSampled: 1, complete: true, notes: [] };
};
