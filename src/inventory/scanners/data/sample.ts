// What every format reader shares: a bounded view of one file and the shape of what it sampled.
import type { DataDetections } from "./detect.js";
import type { DataBudgets } from "./settings.js";

/** One repository file, read through the scanner's byte counter. */
export interface DataFile {
  path: string;
  size: number;
  /** Reads a range; every byte counts against the file's budget. */
  read(position: number, length: number): Promise<Buffer>;
  readonly bytesRead: number;
}

/** Where a file's content is broken: one located finding per file. */
export interface Malformed {
  line: number;
  column?: number;
  reason: string;
}

export interface FormatSample {
  format: string;
  /** Records (rows, lines, objects) whose values the detectors saw. */
  rowsSampled: number;
  /** Rows in the file when its format says (Parquet, SQLite), without reading them. */
  totalRows?: number;
  columns?: string[];
  /** True when the whole file was read (no budget cut). */
  complete: boolean;
  malformed?: Malformed;
  notes: string[];
  details?: Record<string, unknown>;
  /** Set when the values could not be looked at (format not read, budget): the file goes to `unscanned`. */
  unscannedReason?: string;
}

export type FormatReader = (file: DataFile, detections: DataDetections, budgets: DataBudgets) => Promise<FormatSample>;

/** Reads the head of a text file within the byte budget. */
export async function readHead(file: DataFile, budgets: DataBudgets): Promise<{ buf: Buffer; truncated: boolean }> {
  const length = Math.min(file.size, budgets.maxBytesPerFile);
  const buf = await file.read(0, length);
  return { buf, truncated: length < file.size };
}

/**
 * Decodes a sampled head as text. Binary content (NUL bytes or many control characters) is
 * reported, not decoded; text that is not UTF-8 is read as Latin-1 (common for CSV exports).
 */
export function decodeText(buf: Buffer, truncated: boolean): { text: string; binary: boolean; encoding: string } {
  const probe = buf.subarray(0, 8192);
  let control = 0;
  for (const b of probe) {
    if (b === 0) return { text: "", binary: true, encoding: "binary" };
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  if (probe.length > 0 && control / probe.length > 0.02) return { text: "", binary: true, encoding: "binary" };
  let bytes = buf;
  if (truncated) {
    // Do not split a UTF-8 sequence at the budget boundary.
    let end = bytes.length;
    let back = 0;
    while (back < 3 && end - back - 1 >= 0 && (bytes[end - back - 1]! & 0xc0) === 0x80) back++;
    if (end - back - 1 >= 0 && bytes[end - back - 1]! >= 0xc0) end = end - back - 1;
    bytes = bytes.subarray(0, end);
  }
  try {
    let text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text, binary: false, encoding: "utf-8" };
  } catch {
    return { text: bytes.toString("latin1"), binary: false, encoding: "latin1" };
  }
}

/** Splits text into lines with their 1-based numbers; a truncated sample drops its partial last line. */
export function* lines(text: string, truncated: boolean): Generator<{ line: number; text: string }> {
  let start = 0;
  let n = 1;
  while (start < text.length) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) {
      if (!truncated) yield { line: n, text: text.slice(start).replace(/\r$/, "") };
      return;
    }
    yield { line: n, text: text.slice(start, nl).replace(/\r$/, "") };
    start = nl + 1;
    n++;
  }
}
