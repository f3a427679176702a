// The Parquet sampler (readParquet over hyparquet): footer metadata, then a budgeted sample of row
// groups. A corrupt footer or row group is `malformed`, a budget overrun `unscannedReason`.
import { parquetMetadata } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { readParquet } from "../../src/inventory/scanners/data/parquet.js";
import type { TargetMeta } from "../lib/harness.js";
import { sample } from "../lib/data.js";
import { known } from "../lib/known.js";

export const meta: TargetMeta = {
  description: "Parquet sampler (readParquet)",
  dict: "parquet",
  seedGlobs: ["__tests__/inventory/scanners/data/fixtures/**/*.parquet", "examples/**/*.parquet", "__tests__/regressions/fixtures/*.parquet"],
};

export async function fuzz(data: Buffer): Promise<void> {
  if (v2PageWithoutLevelLengths(data)) return known("parquet-v2-page-hang");
  await sample(readParquet, "data/x.parquet", data);
}

/**
 * Whether a column chunk has a v2 data page whose header lacks a level byte length: hyparquet
 * then reads its levels at offset NaN and never returns (a known defect, see fuzz/lib/known.ts).
 */
function v2PageWithoutLevelLengths(data: Buffer): boolean {
  const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  let meta;
  try {
    meta = parquetMetadata(ab);
  } catch {
    return false;
  }
  const view = new DataView(ab);
  for (const group of meta.row_groups) {
    for (const chunk of group.columns) {
      const m = chunk.meta_data;
      if (!m) continue;
      const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
      const end = start + Number(m.total_compressed_size);
      const reader = { view, offset: start };
      for (let pages = 0; reader.offset < Math.min(end, data.length) && pages < 10_000; pages++) {
        try {
          const h = parquetHeader(reader);
          const v2 = h.data_page_header_v2;
          if (v2 && (typeof v2.repetition_levels_byte_length !== "number" || typeof v2.definition_levels_byte_length !== "number")) return true;
          if (!(h.compressed_page_size > 0)) break;
          reader.offset += h.compressed_page_size;
        } catch {
          break;
        }
      }
    }
  }
  return false;
}
