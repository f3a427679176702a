// CSV and TSV (RFC 4180 quoting): the head of the file within the byte budget, parsed record by
// record with the line each starts on. The first broken quote stops the file with one located
// finding; a row with the wrong number of fields is reported once and sampling goes on.
import { decodeText, readHead, type FormatReader, type Malformed } from "./sample.js";

interface CsvRecord {
  line: number;
  fields: string[];
}

const CANDIDATE_DELIMITERS = [",", ";", "\t", "|"];

/** The delimiter that occurs most on the first line (outside quotes), comma when none does. */
export function sniffDelimiter(text: string): string {
  const first = text.slice(0, Math.min(text.length, 65536)).split("\n", 1)[0] ?? "";
  const unquoted = first.replace(/"[^"]*"/g, "");
  let best = ",";
  let bestCount = 0;
  for (const d of CANDIDATE_DELIMITERS) {
    const n = unquoted.split(d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** Parses up to `maxRecords` records. A truncated sample drops its partial last record. */
export function parseCsv(
  text: string,
  delimiter: string,
  truncated: boolean,
  maxRecords: number,
): { records: CsvRecord[]; malformed?: Malformed; stoppedEarly: boolean } {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let inQuotes = false;
  let afterQuote = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let lineStart = 0;
  const n = text.length;
  let i = 0;
  const endRecord = (): boolean => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
    afterQuote = false;
    return records.length >= maxRecords;
  };
  while (i < n) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        afterQuote = true;
      } else {
        if (c === "\n") {
          line++;
          lineStart = i + 1;
        }
        field += c;
      }
      i++;
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = "";
      afterQuote = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      const full = endRecord();
      line++;
      lineStart = i + 1;
      recordLine = line;
      if (full) return { records, stoppedEarly: i + 1 < n };
    } else if (afterQuote) {
      return {
        records,
        stoppedEarly: true,
        malformed: { line, column: i - lineStart + 1, reason: "a character follows a closing quote (broken CSV quoting)" },
      };
    } else if (c === '"' && field === "") {
      inQuotes = true;
      quoteLine = line;
    } else {
      field += c;
    }
    i++;
  }
  if (inQuotes) {
    if (truncated) return { records, stoppedEarly: true };
    return { records, stoppedEarly: true, malformed: { line: quoteLine, reason: "a quoted field is never closed (broken CSV quoting)" } };
  }
  if (!truncated && (field !== "" || fields.length > 0)) endRecord();
  return { records, stoppedEarly: truncated };
}

export function csvReader(format: "csv" | "tsv"): FormatReader {
  return async (file, detections, budgets) => {
    const { buf, truncated } = await readHead(file, budgets);
    const { text, binary, encoding } = decodeText(buf, truncated);
    if (binary) {
      return { format, rowsSampled: 0, complete: false, notes: [], malformed: { line: 1, reason: `binary content in a .${format} file` } };
    }
    const delimiter = format === "tsv" ? "\t" : sniffDelimiter(text);
    const parsed = parseCsv(text, delimiter, truncated, budgets.maxRowsPerFile + 1);
    const [head, ...rest] = parsed.records;
    const notes: string[] = encoding === "utf-8" ? [] : [`decoded as ${encoding}`];
    let malformed = parsed.malformed;
    if (!head) return { format, rowsSampled: 0, complete: !parsed.stoppedEarly, notes, malformed, columns: [] };
    // A first row holding values (an e-mail, a card number) is data, not a header.
    const headerless = head.fields.some((f) => detections.looksLikeValue(f));
    const width = head.fields.length;
    const columns = head.fields.map((f, i) => (headerless || f.trim() === "" ? `col${i + 1}` : f.trim()));
    const rows = headerless ? parsed.records : rest;
    if (headerless) notes.push("no header row: columns are numbered");
    let sampled = 0;
    for (const r of rows) {
      if (sampled >= budgets.maxRowsPerFile) break;
      if (r.fields.length !== width && !malformed) {
        malformed = { line: r.line, reason: `row has ${r.fields.length} fields where the header has ${width}` };
      }
      r.fields.forEach((v, i) => detections.cell(columns[i] ?? `col${i + 1}`, v, r.line, sampled));
      sampled++;
    }
    const complete = !parsed.stoppedEarly && sampled === rows.length && !truncated;
    return { format, rowsSampled: sampled, complete, columns, malformed, notes, details: { delimiter } };
  };
}
