// The Parquet sampler (readParquet over hyparquet): footer metadata, then a budgeted sample of row
// groups. A corrupt footer or row group is `malformed`, a budget overrun `unscannedReason`.
import { readParquet } from "../../src/inventory/scanners/data/parquet.js";
import type { TargetMeta } from "../lib/harness.js";
import { sample } from "../lib/data.js";

export const meta: TargetMeta = {
  description: "Parquet sampler (readParquet)",
  dict: "parquet",
  seedGlobs: ["__tests__/inventory/scanners/data/fixtures/**/*.parquet", "examples/**/*.parquet", "__tests__/regressions/fixtures/*.parquet"],
};

export async function fuzz(data: Buffer): Promise<void> {
  await sample(readParquet, "data/x.parquet", data);
}
