// The Parquet sampler (readParquet over hyparquet): footer metadata, then a budgeted sample of row
// groups. A corrupt footer or row group is `malformed`, a budget overrun `unscannedReason`.
import { deserializeTCompactProtocol } from "hyparquet/src/thrift.js";
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
  if (negativeNumChildren(data)) return known("parquet-negative-num-children");
  await sample(readParquet, "data/x.parquet", data);
}

/** Whether the footer's schema has an element with num_children < 0 (hyparquet then never returns). */
function negativeNumChildren(data: Buffer): boolean {
  if (data.length < 12) return false;
  const len = data.readUInt32LE(data.length - 8);
  const start = data.length - 8 - len;
  if (start < 0) return false;
  try {
    const view = new DataView(data.buffer, data.byteOffset + start, len);
    const footer = deserializeTCompactProtocol({ view, offset: 0 }) as { field_2?: { field_5?: number }[] };
    return (footer.field_2 ?? []).some((e) => typeof e?.field_5 === "number" && e.field_5 < 0);
  } catch {
    return false;
  }
}
