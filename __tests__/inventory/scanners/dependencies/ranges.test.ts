// Version ranges judged by the versions they allow: a cap below the fix (`torch<2.6`) is reported
// as "every allowed version is vulnerable", not as "not pinned"; a range that allows a fixed
// version is still only unpinned; bounds are read from every PEP 440 clause.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAdvisories } from "../../../../src/inventory/scanners/dependencies/advisories.js";
import { advisoriesForEveryAllowedVersion, specifierBounds } from "../../../../src/inventory/scanners/dependencies/ranges.js";
import { dependencyScanner } from "../../../../src/inventory/scanners/dependencies/scanner.js";
import { scanFixture } from "../fixture-harness.js";

test("bounds of PEP 440 specifiers", () => {
  expect(specifierBounds("<2.6")).toEqual({ upper: { v: "2.6", inclusive: false } });
  expect(specifierBounds(">=2.0,<=2.5.1,!=2.3.0")).toEqual({ lower: { v: "2.0", inclusive: true }, upper: { v: "2.5.1", inclusive: true } });
  expect(specifierBounds("==2.4.*")).toEqual({ lower: { v: "2.4", inclusive: true }, upper: { v: "2.5", inclusive: false } });
  expect(specifierBounds("~=2.4.1")).toEqual({ lower: { v: "2.4.1", inclusive: true }, upper: { v: "2.5", inclusive: false } });
  expect(specifierBounds(">=2.0,<3,<2.6")).toEqual({ lower: { v: "2.0", inclusive: true }, upper: { v: "2.6", inclusive: false } });
  expect(specifierBounds(">=2.0")).toEqual({ lower: { v: "2.0", inclusive: true } });
});

test("torch<2.6 allows only versions CVE-2025-32434 affects; torch<=2.6.0, torch>=2.0 and torch<99 allow a fixed one", () => {
  const data = loadAdvisories();
  const capped = advisoriesForEveryAllowedVersion("torch", "<2.6", data);
  expect(capped.affected.flatMap((a) => a.aliases)).toContain("CVE-2025-32434");
  expect(capped.fixed).toBeDefined();
  expect(advisoriesForEveryAllowedVersion("torch", "<=2.6.0", data).affected.flatMap((a) => a.aliases)).not.toContain("CVE-2025-32434");
  expect(advisoriesForEveryAllowedVersion("torch", ">=2.0", data).affected).toEqual([]);
  expect(advisoriesForEveryAllowedVersion("torch", "<99", data).affected.flatMap((a) => a.aliases)).not.toContain("CVE-2025-32434");
});

test("the scanner reports the capped range as vulnerable, once, instead of unpinned", async () => {
  const root = mkdtempSync(join(tmpdir(), "aigate-ranges-"));
  writeFileSync(join(root, "requirements.txt"), "torch<2.6\ntransformers>=4.0\n");
  const result = await scanFixture(dependencyScanner, root);
  const got = result.observations.map((o) => `${o.kind} ${o.location.line} ${String(o.data?.package)}`);
  expect(got).toEqual(["dependency.vulnerable 1 torch", "dependency.unpinned 2 transformers"]);
  const torch = result.observations[0]!;
  expect(torch.message).toMatch(
    /^every version torch<2\.6 allows has \d+ known advisories \(\w+\): .*CVE-2025-32434.*; fixed in [\d.]+, which the specifier excludes$/,
  );
  expect(torch.data).toMatchObject({ version: null, allowed: "<2.6", package: "torch" });
});
