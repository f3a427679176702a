// The pyproject.toml parser (parsePyproject: PEP 621, Poetry and uv/PDM tables over smol-toml).
// TOML syntax errors are a located problem; an exception is a bug.
import { parsePyproject } from "../../src/inventory/scanners/dependencies/pyproject.js";
import type { TargetMeta } from "../lib/harness.js";
import { parseText } from "../lib/deps.js";

export const meta: TargetMeta = {
  description: "pyproject.toml parser (parsePyproject)",
  dict: "toml",
  seedGlobs: ["__tests__/inventory/scanners/dependencies/fixtures/**/pyproject.toml"],
  sync: true,
  // Include paths (`-r ../x.txt`) are joined as strings for the scanner's own file map, never opened.
  disableBugDetectors: ["path-traversal"],
};

export function fuzz(data: Buffer): void {
  parseText("pyproject.toml", data, parsePyproject);
}
