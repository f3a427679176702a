// Parquet: the footer (schema, row count, row groups) read with hyparquet, then a few row groups
// sampled: the first rows of each, only the columns whose chunks fit the byte budget. The file is
// read through ranged reads that count every byte, never loaded whole.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer } from "hyparquet";
import type { FileMetaData } from "hyparquet";
import { chunkProblem, footerProblem, metadataProblem, snappy } from "./parquet-validate.js";
import { flatten } from "./json.js";
import type { DataFile, FormatReader, FormatSample } from "./sample.js";

export class BudgetExceeded extends Error {}

/**
 * An AsyncBuffer over a repository file that refuses to read past the byte budget. Ranges read
 * before (the column chunks the validation read) are served again without reading or counting.
 */
export function budgetedBuffer(file: DataFile, budget: number): AsyncBuffer {
  const kept: { start: number; data: ArrayBuffer }[] = [];
  return {
    byteLength: file.size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? file.size, file.size);
      const length = Math.max(0, stop - start);
      const hit = kept.find((k) => k.start <= start && stop <= k.start + k.data.byteLength);
      if (hit) return hit.data.slice(start - hit.start, stop - hit.start);
      if (file.bytesRead + length > budget) throw new BudgetExceeded(`reading ${length} bytes at ${start} would pass the ${budget}-byte budget`);
      const buf = await file.read(start, length);
      const data = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
      if (length >= 1024 && kept.length < 64) kept.push({ start, data });
      return data;
    },
  };
}

// Snappy: hyparquet's decoder behind a check of the stream; Node's zlib adds gzip and brotli, capped at the page's stated size.
const COMPRESSORS = {
  SNAPPY: snappy,
  GZIP: (input: Uint8Array, outputLength: number) => new Uint8Array(gunzipSync(input, { maxOutputLength: Math.max(1, outputLength) })),
  BROTLI: (input: Uint8Array, outputLength: number) => new Uint8Array(brotliDecompressSync(input, { maxOutputLength: Math.max(1, outputLength) })),
};

/**
 * The names of the schema's top-level columns. The children counts come from the file: the walk
 * never goes past the schema's last element, whatever a count claims (a crafted footer may claim
 * billions of children for a handful of elements), and never recurses.
 */
function topLevelColumns(meta: FileMetaData): string[] {
  const out: string[] = [];
  const schema = meta.schema;
  const n = schema.length;
  const childrenOf = (i: number) => Math.max(0, Math.min(Number(schema[i]?.num_children ?? 0) || 0, n));
  // Elements still to pass over at each open level, below the top one.
  const pending: number[] = [];
  let i = 1;
  for (let k = 0, top = childrenOf(0); k < top && i < n; k++) {
    const el = schema[i]!;
    // A crafted footer may leave a column unnamed: it cannot be matched to a detector by name.
    if (typeof el.name === "string") out.push(el.name);
    pending.push(childrenOf(i++));
    while (pending.length && i < n) {
      if (pending[pending.length - 1]! === 0) {
        pending.pop();
        continue;
      }
      pending[pending.length - 1]!--;
      pending.push(childrenOf(i++));
    }
    pending.length = 0;
  }
  return out;
}

/** Indexes of up to `k` row groups spread over the file (first, last, between). */
export function spreadIndexes(n: number, k: number): number[] {
  if (n <= 0) return [];
  const m = Math.min(n, k);
  if (m === 1) return [0];
  const set = new Set<number>();
  for (let j = 0; j < m; j++) set.add(Math.round((j * (n - 1)) / (m - 1)));
  return [...set];
}

export const readParquet: FormatReader = async (file, detections, budgets) => {
  const budget = budgets.maxBytesPerBinaryFile;
  const buffer = budgetedBuffer(file, budget);
  let meta: FileMetaData;
  const initialFetchSize = Math.min(1 << 16, budget);
  try {
    const problem = await footerProblem(buffer, initialFetchSize);
    if (problem) return { format: "parquet", rowsSampled: 0, complete: false, notes: [], malformed: { line: 1, reason: problem } };
    // geoparquet: false: marking geometry columns walks the schema by its children counts, and a
    // negative count in a crafted footer makes that walk loop forever; aigate needs no geometry types.
    meta = await parquetMetadataAsync(buffer, { initialFetchSize, geoparquet: false });
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      return { format: "parquet", rowsSampled: 0, complete: false, notes: [], unscannedReason: `Parquet footer larger than the byte budget (${budget} bytes)` };
    }
    return {
      format: "parquet",
      rowsSampled: 0,
      complete: false,
      notes: [],
      malformed: {
        line: 1,
        reason:
          file.size < 12 || /PAR1/.test(String((e as Error).message))
            ? "the Parquet file is truncated (it does not end with its footer)"
            : "the Parquet footer is corrupt",
      },
    };
  }
  const bad = metadataProblem(meta, file.size);
  if (bad) return { format: "parquet", rowsSampled: 0, complete: false, notes: [], malformed: { line: 1, reason: bad } };
  const columns = topLevelColumns(meta);
  const totalRows = Number(meta.num_rows);
  const groups = spreadIndexes(meta.row_groups.length, budgets.parquetRowGroups);
  const rowsPerGroup = Math.max(1, Math.ceil(budgets.maxRowsPerFile / Math.max(1, groups.length)));
  const sampledColumns = new Set<string>();
  const notes: string[] = [];
  let rows = 0;
  let groupStart = 0;
  const starts: number[] = [];
  for (const g of meta.row_groups) {
    starts.push(groupStart);
    groupStart += Number(g.num_rows);
  }
  const unpacked = { bytes: 0 };
  /** What was sampled before a corrupt row group, and why the file is malformed. */
  const corrupt = (reason: string): FormatSample => ({
    format: "parquet",
    rowsSampled: rows,
    totalRows,
    columns,
    complete: false,
    notes,
    malformed: { line: 1, reason },
  });
  for (const [n, gi] of groups.entries()) {
    const group = meta.row_groups[gi]!;
    const share = Math.floor((budget - file.bytesRead) / (groups.length - n));
    // Columns whose chunks fit this group's share of the budget, in schema order.
    const chunkBytes = new Map<string, number>();
    for (const c of group.columns) {
      const name = c.meta_data?.path_in_schema?.[0];
      if (name !== undefined) chunkBytes.set(name, (chunkBytes.get(name) ?? 0) + Number(c.meta_data?.total_compressed_size ?? 0));
    }
    const chosen: string[] = [];
    let cost = 0;
    for (const col of columns) {
      const b = chunkBytes.get(col) ?? 0;
      if (cost + b <= share) {
        chosen.push(col);
        cost += b;
      }
    }
    if (chosen.length === 0) continue;
    const rowStart = starts[gi]!;
    const rowEnd = Math.min(rowStart + rowsPerGroup, rowStart + budgets.maxRowsPerFile - rows, rowStart + Number(group.num_rows));
    if (rowEnd <= rowStart) break;
    let objects: Record<string, unknown>[];
    try {
      // The pages of the chosen chunks are checked before hyparquet decodes them (it would loop
      // on impossible counts); the bytes read for that are served to it again.
      const chunks = group.columns.filter((c) => c.meta_data && chosen.includes(c.meta_data.path_in_schema?.[0] ?? "")).map((c) => c.meta_data!);
      // A loop, not Math.min(...): a row group may list more columns than a call takes arguments.
      let from = Infinity;
      let to = -Infinity;
      for (const m of chunks) {
        const start = Number(m.dictionary_page_offset || m.data_page_offset);
        from = Math.min(from, start);
        to = Math.max(to, start + Number(m.total_compressed_size));
      }
      if (chunks.length) {
        const bytes = new Uint8Array(await buffer.slice(from, to));
        for (const m of chunks) {
          const start = Number(m.dictionary_page_offset || m.data_page_offset) - from;
          const problem = chunkProblem(bytes.subarray(start, start + Number(m.total_compressed_size)), m, Number(group.num_rows), meta, unpacked);
          if (problem) return corrupt(`${problem} in row group ${gi}`);
        }
      }
      objects = (await parquetReadObjects({
        file: buffer,
        metadata: meta,
        columns: chosen,
        rowStart,
        rowEnd,
        compressors: COMPRESSORS,
        useOffsetIndex: false,
      })) as Record<string, unknown>[];
    } catch (e) {
      if (e instanceof BudgetExceeded) {
        notes.push(`row group ${gi}: byte budget reached`);
        continue;
      }
      // hyparquet's messages name its internals: only an unsupported codec is worth passing on.
      const msg = String((e as Error).message);
      const codec = /(?:unsupported|unknown) compression codec:? ?(\w*)/i.exec(msg) ?? /codec ?(\w*) (?:is )?(?:not )?supported/i.exec(msg);
      if (codec || /compression|codec|unsupported/i.test(msg)) {
        const name = codec?.[1] && /^[A-Z][A-Z0-9_]*$/.test(codec[1]) ? ` ${codec[1]}` : "";
        notes.push(`values not sampled: the Parquet compression${name} is not supported`);
        break;
      }
      return corrupt(`the data of Parquet row group ${gi} is corrupt`);
    }
    for (const c of chosen) sampledColumns.add(c);
    for (const [k, obj] of objects.entries()) {
      // Parquet has no lines: locate at line 1, give the row number in the detection's rows.
      flatten(obj, "", (column, v) => detections.cell(column, v, 1, rowStart + k));
    }
    rows += objects.length;
  }
  const unsampled = columns.filter((c) => !sampledColumns.has(c));
  detections.unsampledColumns(unsampled);
  if (unsampled.length > 0) notes.push(`${unsampled.length} column(s) not sampled (byte budget): ${unsampled.slice(0, 10).join(", ")}`);
  return {
    format: "parquet",
    rowsSampled: rows,
    totalRows,
    columns,
    complete: rows >= totalRows && unsampled.length === 0,
    notes,
    details: { rowGroups: meta.row_groups.length, rowGroupsSampled: groups.length, createdBy: meta.created_by ?? null },
    unscannedReason: rows === 0 && totalRows > 0 ? "no Parquet values could be sampled within the byte budget" : undefined,
  };
};
