// The JSON and JSON Lines samplers (readJson, readJsonLines): array elements are found without
// parsing the whole file, objects are flattened to columns. Syntax errors are `malformed`.
import { readJson, readJsonLines } from "../../src/inventory/scanners/data/json.js";
import { selector, type TargetMeta } from "../lib/harness.js";
import { sample } from "../lib/data.js";

export const meta: TargetMeta = {
  description: "JSON / JSON Lines samplers (readJson, readJsonLines)",
  dict: "json",
  seedGlobs: ["__tests__/inventory/scanners/data/fixtures/**/*.{json,jsonl}", "examples/**/*.{json,jsonl}"],
};

export async function fuzz(data: Buffer): Promise<void> {
  const { pick, rest } = selector(data, 2);
  await sample(pick ? readJsonLines : readJson, pick ? "data/x.jsonl" : "data/x.json", rest);
}
