// The CSV/TSV sampler (csvReader): delimiter sniffing, quoting, header detection and the
// detectors on each cell. Broken quoting and binary content are a `malformed` result.
import { csvReader } from "../../src/inventory/scanners/data/csv.js";
import { selector, type TargetMeta } from "../lib/harness.js";
import { sample } from "../lib/data.js";

export const meta: TargetMeta = {
  description: "CSV/TSV sampler (csvReader)",
  dict: "csv",
  seedGlobs: ["__tests__/inventory/scanners/data/fixtures/**/*.{csv,tsv}", "examples/**/*.csv"],
};

const READERS = [csvReader("csv"), csvReader("tsv")];

export async function fuzz(data: Buffer): Promise<void> {
  const { pick, rest } = selector(data, 2);
  await sample(READERS[pick]!, pick ? "data/x.tsv" : "data/x.csv", rest);
}
