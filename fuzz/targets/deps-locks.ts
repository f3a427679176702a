// The lockfile parsers: poetry.lock / uv.lock / pdm.lock (parseTomlLock), Pipfile.lock
// (parsePipfileLock) and package-lock.json (parsePackageLock), picked by the first byte.
import { parsePackageLock } from "../../src/inventory/scanners/dependencies/npm.js";
import { parsePipfileLock, parseTomlLock } from "../../src/inventory/scanners/dependencies/python-locks.js";
import { selector, type TargetMeta } from "../lib/harness.js";
import { parseText } from "../lib/deps.js";

export const meta: TargetMeta = {
  description: "lockfile parsers (parseTomlLock, parsePipfileLock, parsePackageLock)",
  dict: "locks",
  seedGlobs: ["__tests__/inventory/scanners/dependencies/fixtures/**/{poetry.lock,Pipfile.lock,package-lock.json.fixture}", "examples/**/*.lock"],
  sync: true,
  // Include paths (`-r ../x.txt`) are joined as strings for the scanner's own file map, never opened.
  disableBugDetectors: ["path-traversal"],
};

const PARSERS = [
  ["poetry.lock", parseTomlLock],
  ["uv.lock", parseTomlLock],
  ["Pipfile.lock", parsePipfileLock],
  ["package-lock.json", parsePackageLock],
] as const;

export function fuzz(data: Buffer): void {
  const { pick, rest } = selector(data, PARSERS.length);
  const [path, parse] = PARSERS[pick]!;
  parseText(path, rest, parse);
}
