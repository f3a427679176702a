// Checks a Parquet file's footer and the pages of the column chunks about to be sampled before
// hyparquet decodes them. hyparquet trusts the counts it reads: a page header claiming a billion
// values, or a run-length run longer than its page, makes it loop for minutes inside one
// synchronous call that nothing can interrupt. Every count is checked against the bytes that
// hold it here, so the library only sees input it can finish quickly; what fails is a plain
// sentence for the report, never the library's own message.
import type { ColumnMetaData, FileMetaData } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from "hyparquet/src/schema.js";

/** Values one page may hold (hyparquet allocates and fills an array of this length). */
export const MAX_PAGE_VALUES = 4_000_000;
/** Bytes one page may decompress to. */
export const MAX_PAGE_BYTES = 64 << 20;

const isCount = (n: unknown): n is number | bigint => (typeof n === "number" && Number.isSafeInteger(n) && n >= 0) || (typeof n === "bigint" && n >= 0n && n <= BigInt(Number.MAX_SAFE_INTEGER));

/** What is inconsistent in the footer, or undefined. */
export function metadataProblem(meta: FileMetaData, fileSize: number): string | undefined {
  if (!Array.isArray(meta.row_groups) || !Array.isArray(meta.schema) || meta.schema.length === 0) return "the Parquet footer is corrupt (no schema or row groups)";
  if (!isCount(meta.num_rows)) return "the Parquet footer is corrupt (a negative or impossible row count)";
  let rows = 0n;
  for (const [i, g] of meta.row_groups.entries()) {
    if (!g || !isCount(g.num_rows) || !Array.isArray(g.columns)) return `the Parquet footer is corrupt (row group ${i} has no row count or columns)`;
    rows += BigInt(g.num_rows);
    for (const c of g.columns) {
      const m = c?.meta_data;
      if (!m) continue;
      const start = Number(m.dictionary_page_offset || m.data_page_offset);
      const size = Number(m.total_compressed_size);
      if (!isCount(m.data_page_offset) || !isCount(m.total_compressed_size) || !isCount(m.num_values) || !Array.isArray(m.path_in_schema)) {
        return `the Parquet footer is corrupt (row group ${i} has a column chunk with impossible offsets or counts)`;
      }
      if (start < 4 || start + size > fileSize) return `the Parquet footer is corrupt (row group ${i}: a column chunk lies outside the file)`;
    }
  }
  if (rows !== BigInt(meta.num_rows)) return "the Parquet footer is corrupt (the row groups do not add up to the row count)";
  return undefined;
}

/**
 * What is wrong with the pages of one column chunk (its bytes, from its first page to its end),
 * or undefined. Reads every page header, and the run-length encoded levels of version 2 data
 * pages, which are stored uncompressed.
 */
export function chunkProblem(chunk: Uint8Array, column: ColumnMetaData, groupRows: number, meta: FileMetaData): string | undefined {
  let repWidth = 0;
  let defWidth = 0;
  try {
    const path = getSchemaPath(meta.schema, column.path_in_schema);
    repWidth = bitWidth(getMaxRepetitionLevel(path));
    defWidth = bitWidth(getMaxDefinitionLevel(path));
  } catch {
    return `the Parquet schema does not describe column ${column.path_in_schema.join(".")}`;
  }
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const reader = { view, offset: 0 };
  let values = 0;
  let pages = 0;
  const where = () => `column ${column.path_in_schema.join(".")}, page ${pages}`;
  while (reader.offset < chunk.byteLength - 1 && values < Number(column.num_values)) {
    pages++;
    let h: ReturnType<typeof parquetHeader>;
    try {
      h = parquetHeader(reader);
    } catch {
      return `a Parquet page header is corrupt (${where()})`;
    }
    const size = h.compressed_page_size;
    if (!isCount(size) || reader.offset + size > chunk.byteLength) return `a Parquet page runs past the end of its column chunk (${where()})`;
    if (!isCount(h.uncompressed_page_size) || h.uncompressed_page_size > MAX_PAGE_BYTES) return `a Parquet page claims more than ${MAX_PAGE_BYTES >> 20} MB of data (${where()})`;
    const body = chunk.subarray(reader.offset, reader.offset + size);
    reader.offset += size;
    const count = h.data_page_header?.num_values ?? h.data_page_header_v2?.num_values ?? h.dictionary_page_header?.num_values;
    if (h.type === "DATA_PAGE" || h.type === "DATA_PAGE_V2" || h.type === "DICTIONARY_PAGE") {
      if (!isCount(count)) return `a Parquet page header is corrupt (${where()}: no value count)`;
      if (count > MAX_PAGE_VALUES) return `a Parquet page claims ${count} values, more than the ${MAX_PAGE_VALUES} read per page (${where()})`;
    }
    if (h.type === "DATA_PAGE") values += Number(count);
    const v2 = h.data_page_header_v2;
    if (h.type === "DATA_PAGE_V2" && v2) {
      values += v2.num_values;
      const rep = v2.repetition_levels_byte_length;
      const def = v2.definition_levels_byte_length;
      if (!isCount(rep) || !isCount(def) || !isCount(v2.num_nulls) || !isCount(v2.num_rows) || rep + def > size || v2.num_nulls > v2.num_values || v2.num_rows > groupRows) {
        return `a Parquet page header is corrupt (${where()}: its level sizes or counts do not fit the page)`;
      }
      if (!runsFit(body.subarray(0, rep), v2.num_values, repWidth) || !runsFit(body.subarray(rep, rep + def), v2.num_values, defWidth)) return `the levels of a Parquet page are corrupt (${where()})`;
    }
  }
  return undefined;
}

function bitWidth(max: number): number {
  return 32 - Math.clz32(max);
}

/** Run-length/bit-packed hybrid runs of `width`-bit values that stay within `n` values. */
function runsFit(bytes: Uint8Array, n: number, width: number): boolean {
  if (width === 0 || width > 32) return true; // no levels are read
  let seen = 0;
  let i = 0;
  while (i < bytes.length && seen < n) {
    let header = 0;
    let shift = 0;
    for (;;) {
      if (i >= bytes.length || shift > 28) return false;
      const b = bytes[i++]!;
      header |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7;
    }
    header >>>= 0;
    const count = header & 1 ? (header >>> 1) * 8 : header >>> 1;
    if (count === 0 || seen + count > n + 7) return false;
    seen += count;
    i += header & 1 ? (header >>> 1) * width : (width + 7) >> 3; // bit-packed groups of 8 values, or a run's value
  }
  return true;
}
