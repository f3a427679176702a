// The other dependency manifests: package.json, Pipfile, setup.cfg and conda environment.yml,
// picked by the first byte.
import { parseCondaEnvironment } from "../../src/inventory/scanners/dependencies/conda.js";
import { parsePackageJson } from "../../src/inventory/scanners/dependencies/npm.js";
import { parsePipfile } from "../../src/inventory/scanners/dependencies/pipfile.js";
import { parseSetupCfg } from "../../src/inventory/scanners/dependencies/setup-cfg.js";
import { selector, type TargetMeta } from "../lib/harness.js";
import { parseText } from "../lib/deps.js";

export const meta: TargetMeta = {
  description: "package.json, Pipfile, setup.cfg and environment.yml parsers",
  dict: "toml",
  seedGlobs: ["__tests__/inventory/scanners/dependencies/fixtures/**/{package.json.fixture,Pipfile,setup.cfg,environment.yml}", "examples/**/package.json"],
  sync: true,
  // Include paths (`-r ../x.txt`) are joined as strings for the scanner's own file map, never opened.
  disableBugDetectors: ["path-traversal"],
};

const PARSERS = [
  ["package.json", parsePackageJson],
  ["Pipfile", parsePipfile],
  ["setup.cfg", parseSetupCfg],
  ["environment.yml", parseCondaEnvironment],
] as const;

export function fuzz(data: Buffer): void {
  const { pick, rest } = selector(data, PARSERS.length);
  const [path, parse] = PARSERS[pick]!;
  parseText(path, rest, parse);
}
