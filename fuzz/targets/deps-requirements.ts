// The pip requirements parser (parseRequirements with PEP 508 parsing, options, includes, line
// continuations, hashes). Problems are returned located; an exception is a bug.
import { parseRequirements } from "../../src/inventory/scanners/dependencies/requirements.js";
import type { TargetMeta } from "../lib/harness.js";
import { parseText } from "../lib/deps.js";

export const meta: TargetMeta = {
  description: "requirements.txt parser (parseRequirements, parseRequirement)",
  dict: "requirements",
  seedGlobs: ["__tests__/inventory/scanners/dependencies/fixtures/**/*.{txt,in}", "examples/**/requirements*"],
  sync: true,
  // Include paths (`-r ../x.txt`) are joined as strings for the scanner's own file map, never opened.
  disableBugDetectors: ["path-traversal"],
};

export function fuzz(data: Buffer): void {
  parseText("requirements.txt", data, parseRequirements);
}
