// Runs the personal-data and secret detectors over the cells a format reader hands it and keeps
// counts per (column, kind): the file, the column or line, the kind and how many, never a value.
import type { ColumnDetector, DataConfig } from "./config.js";
import { maskSecret } from "../../../util/redact.js";
import { maskShape } from "./mask.js";

export interface Detection {
  kind: string;
  /** The column (`table.column`, `a.b[].c`) or null for line-oriented text. */
  column: string | null;
  count: number;
  /** 1-based line of the first hit (1 for formats without lines). */
  line: number;
  /** The first few rows (0-based record index) that hold a hit. */
  rows: number[];
  /** How it was found: by value (pattern + validator) and/or by the column's name. */
  evidence: ("value" | "column-name")[];
  /** The shape of the first hit (letters x, digits 9), never the value; for a secret, its public prefix and length. */
  shape?: string;
  /** False when the column's values were not read (budget), so the count is unknown. */
  valuesSampled: boolean;
}

const MAX_ROWS_LISTED = 5;
const MAX_HITS_PER_CELL = 50;

/** Normalised last segment of a column path: "users.Email_Address" -> "emailaddress". */
export function normaliseColumn(column: string): string {
  const last =
    column
      .split(/[.[\]]/)
      .filter((s) => s !== "")
      .pop() ?? column;
  return last.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

export class DataDetections {
  private readonly personal = new Map<string, Detection>();
  private readonly secret = new Map<string, Detection>();
  private readonly columnCache = new Map<string, ColumnDetector | null>();

  constructor(
    private readonly config: DataConfig,
    private readonly maxCellChars: number,
  ) {}

  /** True when a header cell looks like a value (an e-mail, a card number...): the file has no header. */
  looksLikeValue(text: string): boolean {
    return this.valueHits(text.slice(0, this.maxCellChars), null).length > 0;
  }

  /** Looks at one cell (or one line, column null). */
  cell(column: string | null, raw: string, line: number, row: number): void {
    if (raw === "") return;
    const value = raw.length > this.maxCellChars ? raw.slice(0, this.maxCellChars) : raw;
    const kinds = new Set<string>();
    for (const hit of this.valueHits(value, column)) {
      kinds.add(hit.kind);
      this.add(this.personal, hit.kind, column, line, row, "value", hit.text, hit.count);
    }
    if (value.length >= 20) {
      for (const s of this.config.secrets) {
        s.pattern.lastIndex = 0;
        let m: RegExpExecArray | null;
        let n = 0;
        while ((m = s.pattern.exec(value)) && n < MAX_HITS_PER_CELL) {
          n++;
          this.add(this.secret, s.kind, column, line, row, "value", m[0], 1);
        }
      }
    }
    if (column !== null) {
      const det = this.columnDetector(column);
      if (det && det.countBy === "value") {
        if (kinds.has(det.kind)) this.add(this.personal, det.kind, column, line, row, "column-name", value, 0);
      } else if (det && (!det.valueShape || det.valueShape.test(value.trim()))) {
        // A cell the value detectors already counted for this kind adds the evidence, not a count.
        this.add(this.personal, det.kind, column, line, row, "column-name", value, kinds.has(det.kind) ? 0 : 1);
      }
    }
  }

  /** Columns whose values were not read: a personal-data name still counts, with an unknown count. */
  unsampledColumns(columns: readonly string[]): void {
    for (const column of columns) {
      const det = this.columnDetector(column);
      if (!det) continue;
      const key = `${column}\u0000${det.kind}`;
      if (!this.personal.has(key)) {
        this.personal.set(key, { kind: det.kind, column, count: 0, line: 1, rows: [], evidence: ["column-name"], valuesSampled: false });
      }
    }
  }

  personalData(): Detection[] {
    return [...this.personal.values()];
  }

  secrets(): Detection[] {
    return [...this.secret.values()];
  }

  private columnDetector(column: string): ColumnDetector | undefined {
    let det = this.columnCache.get(column);
    if (det === undefined) {
      const name = normaliseColumn(column);
      det = this.config.columns.find((c) => c.names.has(name) || c.contains.some((part) => name.includes(part))) ?? null;
      this.columnCache.set(column, det);
    }
    return det ?? undefined;
  }

  private valueHits(value: string, column: string | null): { kind: string; text: string; count: number }[] {
    // Every value detector needs a digit or an "@": skip the regexes for plain words.
    if (!/[\d@]/.test(value)) return [];
    const hits: { kind: string; text: string; count: number }[] = [];
    for (const d of this.config.values) {
      d.pattern.lastIndex = 0;
      let m: RegExpExecArray | null;
      let count = 0;
      let first = "";
      let tries = 0;
      while ((m = d.pattern.exec(value)) && tries++ < MAX_HITS_PER_CELL) {
        const text = m[0];
        if (d.validate && !d.validate(text)) continue;
        if (d.context) {
          const before = value.slice(Math.max(0, m.index - 32), m.index);
          if (!d.context.test(before) && !(column !== null && d.context.test(column))) continue;
        }
        if (count === 0) first = text;
        count++;
      }
      if (count > 0) hits.push({ kind: d.kind, text: first, count });
    }
    return hits;
  }

  private add(
    into: Map<string, Detection>,
    kind: string,
    column: string | null,
    line: number,
    row: number,
    evidence: "value" | "column-name",
    text: string,
    count: number,
  ): void {
    const key = `${column ?? ""}\u0000${kind}`;
    let d = into.get(key);
    if (!d) {
      // A secret's shape would still show its separators and length pattern: it gets maskSecret.
      d = { kind, column, count: 0, line, rows: [], evidence: [], shape: into === this.secret ? maskSecret(text) : maskShape(text), valuesSampled: true };
      into.set(key, d);
    }
    if (!d.evidence.includes(evidence)) d.evidence.push(evidence);
    d.count += count;
    if (d.rows[d.rows.length - 1] !== row && d.rows.length < MAX_ROWS_LISTED) d.rows.push(row);
  }
}
