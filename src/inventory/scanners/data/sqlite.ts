// SQLite databases (and SQLite-based stores such as Chroma's chroma.sqlite3): the schema read from
// page 1, then the first rows of each table, within the row and byte budgets.
import { BudgetExceeded } from "./parquet.js";
import type { FormatReader } from "./sample.js";
import { columnsOf, SqliteFile, SqliteFormatError, type SqlValue } from "./sqlite-file.js";
import { append } from "../../../util/append.js";

const MAX_TABLES = 200;

function text(v: SqlValue): string | null {
  if (v === null || v instanceof Uint8Array) return null;
  return String(v);
}

export const readSqlite: FormatReader = async (file, detections, budgets) => {
  const budget = budgets.maxBytesPerBinaryFile;
  const readAt = async (position: number, length: number): Promise<Buffer> => {
    if (file.bytesRead + length > budget) throw new BudgetExceeded(`the ${budget}-byte budget is spent`);
    return file.read(position, length);
  };
  const notes: string[] = [];
  let db: SqliteFile;
  let tables: { name: string; rootPage: number; columns: string[] }[];
  try {
    db = await SqliteFile.open(readAt, file.size);
    const schema = await db.schema();
    tables = schema
      .filter((e) => e.type === "table" && e.rootPage > 0 && !e.name.startsWith("sqlite_") && !/\bwithout\s+rowid\b/i.test(e.sql))
      .slice(0, MAX_TABLES)
      .map((e) => ({ name: e.name, rootPage: e.rootPage, columns: columnsOf(e.sql) }));
  } catch (e) {
    if (e instanceof BudgetExceeded)
      return { format: "sqlite", rowsSampled: 0, complete: false, notes, unscannedReason: "SQLite schema larger than the byte budget" };
    const reason = e instanceof SqliteFormatError || e instanceof RangeError ? (e as Error).message : String(e);
    return { format: "sqlite", rowsSampled: 0, complete: false, notes, malformed: { line: 1, reason: `corrupt SQLite database: ${reason}` } };
  }
  const perTable = Math.max(10, Math.ceil(budgets.maxRowsPerFile / Math.max(1, tables.length)));
  let rows = 0;
  let complete = true;
  const unsampled: string[] = [];
  for (const t of tables) {
    const qualified = t.columns.map((c) => `${t.name}.${c}`);
    let n = 0;
    try {
      for await (const r of db.rows(t.rootPage, perTable + 1)) {
        if (n >= perTable) {
          complete = false;
          break;
        }
        r.values.forEach((v, i) => {
          const s = text(v);
          if (s !== null) detections.cell(qualified[i] ?? `${t.name}.col${i + 1}`, s, 1, n);
        });
        n++;
      }
    } catch (e) {
      if (e instanceof BudgetExceeded) {
        complete = false;
        append(unsampled, qualified);
        notes.push(`table ${t.name}: byte budget reached`);
        rows += n;
        break;
      }
      const reason = e instanceof SqliteFormatError || e instanceof RangeError ? (e as Error).message : String(e);
      return { format: "sqlite", rowsSampled: rows + n, complete: false, notes, malformed: { line: 1, reason: `corrupt SQLite table ${t.name}: ${reason}` } };
    }
    rows += n;
  }
  detections.unsampledColumns(unsampled);
  return {
    format: "sqlite",
    rowsSampled: rows,
    complete,
    columns: tables.flatMap((t) => t.columns.map((c) => `${t.name}.${c}`)),
    notes,
    details: { tables: tables.map((t) => t.name), pageSize: db.pageSize },
  };
};
