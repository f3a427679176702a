// Checks a Parquet file's footer and the pages of the column chunks about to be sampled before
// hyparquet decodes them. hyparquet trusts the counts it reads: a page header claiming a billion
// values, or a run-length run longer than its page, makes it loop for minutes inside one
// synchronous call that nothing can interrupt. Every count is checked against the bytes that
// hold it here, so the library only sees input it can finish quickly; what fails is a plain
// sentence for the report, never the library's own message.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { snappyUncompress, type AsyncBuffer, type ColumnMetaData, type FileMetaData } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from "hyparquet/src/schema.js";
import { thriftStructEnd } from "./thrift-bounds.js";

/** Values one page may hold (hyparquet allocates and fills an array of this length). */
export const MAX_PAGE_VALUES = 4_000_000;
/** Bytes one page may decompress to. */
export const MAX_PAGE_BYTES = 64 << 20;
/**
 * Bytes the checked pages of one file may decompress to, together: each page is decompressed to be
 * checked, and again by hyparquet. The sample reads at most a few row groups of a few MB.
 */
export const MAX_FILE_UNPACKED_BYTES = 128 << 20;
/** How far a codec can expand its input, at most (snappy's copies give about 21×, deflate 1032×); brotli has no such bound. */
const MAX_RATIO: Partial<Record<string, number>> = { UNCOMPRESSED: 1, SNAPPY: 32, GZIP: 1100 };

const isCount = (n: unknown): n is number | bigint =>
  (typeof n === "number" && Number.isSafeInteger(n) && n >= 0) || (typeof n === "bigint" && n >= 0n && n <= BigInt(Number.MAX_SAFE_INTEGER));

/**
 * The footer's Thrift bytes as hyparquet will read them (the same two ranged reads, so the budgeted
 * buffer serves them to it again), or why they must not reach it. Undefined when the file has no
 * footer to speak of: hyparquet says so itself.
 */
export async function footerProblem(file: AsyncBuffer, initialFetchSize: number): Promise<string | undefined> {
  const footerOffset = Math.max(0, file.byteLength - initialFetchSize);
  const tail = new Uint8Array(await file.slice(footerOffset, file.byteLength));
  if (tail.length < 8) return undefined;
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const metadataLength = view.getUint32(tail.length - 8, true);
  if (view.getUint32(tail.length - 4, true) !== 0x31524150 || metadataLength > file.byteLength - 8) return undefined;
  let metadata: Uint8Array;
  if (metadataLength + 8 > initialFetchSize) {
    const metadataOffset = file.byteLength - metadataLength - 8;
    const head = new Uint8Array(await file.slice(metadataOffset, footerOffset));
    metadata = new Uint8Array(metadataLength);
    metadata.set(head);
    metadata.set(tail.subarray(0, tail.length - 8), head.length);
  } else {
    metadata = tail.subarray(tail.length - 8 - metadataLength, tail.length - 8);
  }
  const end = thriftStructEnd(metadata, 0);
  return typeof end === "string" ? `the Parquet footer is corrupt (${end})` : undefined;
}

/** What is inconsistent in the footer, or undefined. */
export function metadataProblem(meta: FileMetaData, fileSize: number): string | undefined {
  if (!Array.isArray(meta.row_groups) || !Array.isArray(meta.schema) || meta.schema.length === 0)
    return "the Parquet footer is corrupt (no schema or row groups)";
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
      // Every offset is checked for what it is: a field of another type (a crafted footer can give
      // a struct for an integer) becomes NaN, which passes every comparison below.
      const dictionary = m.dictionary_page_offset;
      if (
        !isCount(m.data_page_offset) ||
        (dictionary !== undefined && dictionary !== null && !isCount(dictionary)) ||
        !isCount(m.total_compressed_size) ||
        !isCount(m.num_values) ||
        !Array.isArray(m.path_in_schema) ||
        !Number.isSafeInteger(start)
      ) {
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
 * or undefined. Reads every page header and every run-length encoded section of the data pages
 * (levels, dictionary indexes, booleans), decompressing pages as hyparquet will: an RLE run longer
 * than its page makes hyparquet grow its output array without bound.
 */
export function chunkProblem(
  chunk: Uint8Array,
  column: ColumnMetaData,
  groupRows: number,
  meta: FileMetaData,
  unpacked: { bytes: number } = { bytes: 0 },
): string | undefined {
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
  let pages = 0;
  const where = () => `column ${column.path_in_schema.join(".")}, page ${pages}`;
  // Every page of the chunk, not only as many as its value count needs: hyparquet reads pages until it
  // has the rows it wants, and a page may yield fewer values than it claims.
  while (reader.offset < chunk.byteLength - 1) {
    pages++;
    let h: ReturnType<typeof parquetHeader>;
    const bounds = thriftStructEnd(chunk, reader.offset);
    if (typeof bounds === "string") return `a Parquet page header is corrupt (${where()}: ${bounds})`;
    try {
      h = parquetHeader(reader);
    } catch {
      return `a Parquet page header is corrupt (${where()})`;
    }
    const size = h.compressed_page_size;
    if (!isCount(size) || reader.offset + size > chunk.byteLength) return `a Parquet page runs past the end of its column chunk (${where()})`;
    if (!isCount(h.uncompressed_page_size) || h.uncompressed_page_size > MAX_PAGE_BYTES)
      return `a Parquet page claims more than ${MAX_PAGE_BYTES >> 20} MB of data (${where()})`;
    const ratio = MAX_RATIO[column.codec];
    if (ratio !== undefined && h.uncompressed_page_size > size * ratio + 1024)
      return `a Parquet page claims more data than its ${size} compressed bytes can hold (${where()})`;
    unpacked.bytes += h.uncompressed_page_size;
    if (unpacked.bytes > MAX_FILE_UNPACKED_BYTES) return `the sampled Parquet pages claim more than ${MAX_FILE_UNPACKED_BYTES >> 20} MB of data (${where()})`;
    const body = chunk.subarray(reader.offset, reader.offset + size);
    reader.offset += size;
    const count = h.data_page_header?.num_values ?? h.data_page_header_v2?.num_values ?? h.dictionary_page_header?.num_values;
    if (h.type === "DATA_PAGE" || h.type === "DATA_PAGE_V2" || h.type === "DICTIONARY_PAGE") {
      if (!isCount(count)) return `a Parquet page header is corrupt (${where()}: no value count)`;
      if (count > MAX_PAGE_VALUES) return `a Parquet page claims ${count} values, more than the ${MAX_PAGE_VALUES} read per page (${where()})`;
    }
    const v1 = h.data_page_header;
    if (h.type === "DATA_PAGE" && v1) {
      const page = decompressed(body, column.codec, h.uncompressed_page_size);
      if (page === "corrupt") return `a compressed Parquet page is corrupt (${where()})`;
      if (page && !v1PageRunsFit(page, v1.num_values, v1.encoding, column.type, repWidth, defWidth))
        return `the run-length encoded values of a Parquet page are corrupt (${where()})`;
    }
    const v2 = h.data_page_header_v2;
    if (h.type === "DATA_PAGE_V2" && v2) {
      const rep = v2.repetition_levels_byte_length;
      const def = v2.definition_levels_byte_length;
      if (
        !isCount(rep) ||
        !isCount(def) ||
        !isCount(v2.num_nulls) ||
        !isCount(v2.num_rows) ||
        rep + def > size ||
        v2.num_nulls > v2.num_values ||
        v2.num_rows > groupRows
      ) {
        return `a Parquet page header is corrupt (${where()}: its level sizes or counts do not fit the page)`;
      }
      // hyparquet reads runs until it has the values, whatever the section's stated length: check what it will read.
      if ((repWidth && !runsFit(body, v2.num_values, repWidth)) || (defWidth && !runsFit(body.subarray(rep), v2.num_values, defWidth)))
        return `the levels of a Parquet page are corrupt (${where()})`;
      const data = body.subarray(rep + def);
      const dataSize = h.uncompressed_page_size - rep - def;
      const page = v2.is_compressed !== false && dataSize ? decompressed(data, column.codec, dataSize) : data;
      if (page === "corrupt") return `a compressed Parquet page is corrupt (${where()})`;
      if (page && !valueRunsFit(page, 0, v2.num_values - v2.num_nulls, v2.encoding, column.type, 2))
        return `the run-length encoded values of a Parquet page are corrupt (${where()})`;
    }
  }
  return undefined;
}

/**
 * A page's bytes as hyparquet will decode them: as stored, or decompressed to the size the header
 * states (at most MAX_PAGE_BYTES, checked before). undefined for a codec hyparquet does not read
 * (it fails on its own); "corrupt" when the bytes do not decompress to that size.
 */
function decompressed(body: Uint8Array, codec: ColumnMetaData["codec"], size: number): Uint8Array | undefined | "corrupt" {
  try {
    let out: Uint8Array;
    if (codec === "UNCOMPRESSED") return body;
    else if (codec === "SNAPPY") out = snappy(body, size);
    else if (codec === "GZIP") out = gunzipSync(body, { maxOutputLength: Math.max(1, size) });
    else if (codec === "BROTLI") out = brotliDecompressSync(body, { maxOutputLength: Math.max(1, size) });
    else return undefined;
    return out.length === size ? out : "corrupt";
  } catch {
    return "corrupt";
  }
}

/**
 * hyparquet's snappy decoder behind a linear walk of the stream's elements: its decoder takes a
 * literal's 4-byte length as a signed number, and a negative one moves it backwards through its
 * input, for minutes. Used for every page hyparquet decompresses (parquet.ts gives it as the SNAPPY
 * codec) and for the pages checked here.
 */
export function snappy(input: Uint8Array, outputLength: number): Uint8Array {
  if (!snappyWalks(input, outputLength)) throw new Error("corrupt snappy stream");
  const out = new Uint8Array(outputLength);
  snappyUncompress(input, out);
  return out;
}

/** Whether each element of a snappy stream moves forwards and the output stays within `outputLength`. */
function snappyWalks(input: Uint8Array, outputLength: number): boolean {
  const n = input.length;
  let pos = 0;
  while (pos < n && input[pos++]! >= 0x80); // the stated length, a varint (hyparquet skips it)
  let out = 0;
  while (pos < n) {
    const c = input[pos++]!;
    let len: number;
    if ((c & 3) === 0) {
      len = (c >>> 2) + 1;
      if (len > 60) {
        const bytes = len - 60;
        if (pos + bytes > n) return false;
        len = 0;
        for (let i = bytes - 1; i >= 0; i--) len = len * 256 + input[pos + i]!;
        if (len >= 0x7fffffff) return false; // hyparquet reads it as a negative length
        len += 1;
        pos += bytes;
      }
      pos += len;
    } else {
      len = (c & 3) === 1 ? ((c >>> 2) & 7) + 4 : (c >>> 2) + 1;
      pos += (c & 3) === 1 ? 1 : (c & 3) === 2 ? 2 : 4;
    }
    out += len;
    if (out > outputLength || pos > n) return false;
  }
  return true;
}

/**
 * A version 1 data page: length-prefixed repetition and definition levels, then the values.
 * hyparquet reads each section's runs until it has the values it expects, past the section's
 * stated length if need be, so each check runs to the end of the page.
 */
function v1PageRunsFit(page: Uint8Array, n: number, encoding: string, type: string, repWidth: number, defWidth: number): boolean {
  let at = 0;
  for (const width of [repWidth, defWidth]) {
    if (!width) continue;
    const length = lengthAt(page, at);
    if (length === undefined || at + 4 + length > page.length || !runsFit(page.subarray(at + 4), n, width)) return false;
    at += 4 + length;
  }
  return valueRunsFit(page, at, n, encoding, type, 1);
}

/**
 * The values of a data page from `at`, when they are run-length encoded: booleans (length-prefixed),
 * or dictionary indexes after their bit width. A bit width of 0 means no runs in a version 1 page,
 * but a version 2 page's runs are read all the same (each run of 0-bit values still has a count).
 */
function valueRunsFit(page: Uint8Array, at: number, n: number, encoding: string, type: string, version: 1 | 2): boolean {
  if (encoding !== "RLE" && encoding !== "RLE_DICTIONARY" && encoding !== "PLAIN_DICTIONARY") return true;
  // hyparquet reads RLE values of a version 2 page as booleans whatever the column's type.
  if (type === "BOOLEAN" || (version === 2 && encoding === "RLE")) return lengthAt(page, at) !== undefined && runsFit(page.subarray(at + 4), n, 1);
  if (at >= page.length) return true; // hyparquet fails reading the bit width
  if (page[at] === 0 && version === 1) return true;
  return runsFit(page.subarray(at + 1), n, page[at]!);
}

/** The 4-byte little-endian length stored at `at`, or undefined when the page ends first. */
function lengthAt(page: Uint8Array, at: number): number | undefined {
  return at + 4 <= page.length ? new DataView(page.buffer, page.byteOffset + at, 4).getUint32(0, true) : undefined;
}

function bitWidth(max: number): number {
  return 32 - Math.clz32(max);
}

/** Run-length/bit-packed hybrid runs of `width`-bit values that stay within `n` values. */
function runsFit(bytes: Uint8Array, n: number, width: number): boolean {
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
