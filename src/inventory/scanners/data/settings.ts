// The data scanner's budgets. A policy pack sets them under `settings.data`; anything missing or
// out of range falls back to the default. They bound what one run reads, whatever the file sizes.
import type { ScannerSettings } from "../../types.js";

export interface DataBudgets {
  /** Rows (records, lines) sampled per file. */
  maxRowsPerFile: number;
  /** Bytes read per text file (CSV, JSON Lines, text). */
  maxBytesPerFile: number;
  /** Bytes read per columnar or database file (Parquet column chunks, SQLite pages). */
  maxBytesPerBinaryFile: number;
  /** Data files sampled per run; the rest are reported as unscanned. */
  maxFiles: number;
  /** Characters of one cell or line that detectors look at. */
  maxCellChars: number;
  /** Row groups of a Parquet file sampled (spread over the file). */
  parquetRowGroups: number;
}

export const DEFAULT_BUDGETS: Readonly<DataBudgets> = {
  maxRowsPerFile: 1000,
  maxBytesPerFile: 1 << 20,
  maxBytesPerBinaryFile: 8 << 20,
  maxFiles: 500,
  maxCellChars: 4096,
  parquetRowGroups: 3,
};

const LIMITS: Record<keyof DataBudgets, [number, number]> = {
  maxRowsPerFile: [1, 1_000_000],
  maxBytesPerFile: [1024, 1 << 30],
  maxBytesPerBinaryFile: [4096, 1 << 30],
  maxFiles: [1, 1_000_000],
  maxCellChars: [64, 1 << 20],
  parquetRowGroups: [1, 1000],
};

export function dataBudgets(settings: ScannerSettings): DataBudgets {
  const raw = settings["data"];
  const given = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const out = { ...DEFAULT_BUDGETS };
  for (const key of Object.keys(LIMITS) as (keyof DataBudgets)[]) {
    const v = given[key];
    const [min, max] = LIMITS[key];
    if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) out[key] = v;
  }
  return out;
}
