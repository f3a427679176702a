// Runs the data scanner's Parquet reader on one file and prints the sample as JSON (used by
// parquet-v2-page-hang.test.ts in a child process, so that a hang cannot stop the test run).
import { readFileSync } from "node:fs";
import { dataConfig } from "../../src/inventory/scanners/data/config.js";
import { DataDetections } from "../../src/inventory/scanners/data/detect.js";
import { readParquet } from "../../src/inventory/scanners/data/parquet.js";
import { DEFAULT_BUDGETS } from "../../src/inventory/scanners/data/settings.js";

const data = readFileSync(process.argv[2]!);
const file = { path: "x.parquet", size: data.length, bytesRead: 0, read: async (pos: number, len: number) => data.subarray(pos, pos + len) };
const sample = await readParquet(file, new DataDetections(dataConfig(), DEFAULT_BUDGETS.maxCellChars), { ...DEFAULT_BUDGETS });
console.log(JSON.stringify(sample));
