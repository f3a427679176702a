// Bounded reports (src/findings/fold.ts): past PER_FILE findings of one rule in one file at one
// status, and past LISTED in all, the rest of a group is one finding that says how many it stands
// for. The verdict, the counts and a baseline written from the report are those of every finding.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { createBaseline } from "../../src/baseline.js";
import { FOLD, foldFindings, weight } from "../../src/findings/fold.js";
import type { Finding } from "../../src/findings/types.js";
import { aFinding } from "../helpers/findings.js";
import { renderJson } from "../../src/report/json.js";
import { run } from "../../src/run.js";
import { packageRoot } from "../../src/util/package-root.js";

const finding = (i: number, over: Partial<Finding> = {}): Finding =>
  aFinding({ ruleId: "code-unsafe-model-load", message: `sink ${i}`, line: i + 1, fingerprint: i.toString(16).padStart(32, "0"), ...over });

test("one rule in one file: the first PER_FILE listed, the rest one finding where they start", () => {
  const list = Array.from({ length: FOLD.perFile + 150 }, (_, i) => finding(i));
  const out = foldFindings(list);
  expect(out).toHaveLength(FOLD.perFile + 1);
  expect(out.slice(0, FOLD.perFile)).toEqual(list.slice(0, FOLD.perFile));
  const f = out[FOLD.perFile]!;
  expect(f.line).toBe(FOLD.perFile + 1);
  expect(f.folded).toEqual({ count: 150, fingerprints: list.slice(FOLD.perFile).map((x) => x.fingerprint), complete: true });
  expect(f.message).toMatch(new RegExp(`^150 open findings of this rule in a\\.py .*: sink ${FOLD.perFile}$`));
  expect(out.reduce((n, x) => n + weight(x), 0)).toBe(FOLD.perFile + 150);
  // The same findings fold to the same fingerprint on the next run.
  expect(foldFindings(list)[FOLD.perFile]!.fingerprint).toBe(f.fingerprint);
  expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
});

test("groups are per rule, file, system, status and severity; below the bounds nothing changes", () => {
  const list = [
    ...Array.from({ length: 3 }, (_, i) => finding(i)),
    ...Array.from({ length: 3 }, (_, i) => finding(10 + i, { status: "baselined" })),
    ...Array.from({ length: 3 }, (_, i) => finding(20 + i, { path: "b.py" })),
  ];
  expect(foldFindings(list)).toEqual(list);
  // One past the bound is listed: a finding standing for one would say nothing.
  expect(foldFindings(list, { perFile: 2, listed: 1000, fingerprints: 10 })).toEqual(list);
  const out = foldFindings(list, { perFile: 1, listed: 1000, fingerprints: 10 });
  expect(out.map((f) => [f.path, f.status, f.folded?.count ?? 1])).toEqual([
    ["a.py", "open", 1],
    ["a.py", "open", 2],
    ["a.py", "baselined", 1],
    ["a.py", "baselined", 2],
    ["b.py", "open", 1],
    ["b.py", "open", 2],
  ]);
});

test("past the report's bound the rest fold by rule and status across files; fingerprints are capped", () => {
  const list = Array.from({ length: 40 }, (_, i) => finding(i, { path: `f${i}.py`, status: i % 2 ? "open" : "accepted" }));
  const out = foldFindings(list, { perFile: 100, listed: 10, fingerprints: 5 });
  expect(out.slice(0, 10)).toEqual(list.slice(0, 10));
  const rest = out.slice(10);
  expect(rest.map((f) => [f.status, f.folded?.count, f.folded?.complete])).toEqual([
    ["accepted", 15, false],
    ["open", 15, false],
  ]);
  expect(rest[0]!.folded!.fingerprints).toHaveLength(5);
  expect(rest[1]!.message).toMatch(/^15 open findings of this rule in 15 files/);
});

test("a report of a file with PER_FILE + 60 sinks: bounded, the same verdict and counts, and a baseline of it covers them all", async () => {
  const sinks = FOLD.perFile + 60;
  const root = mkdtempSync(join(tmpdir(), "aigate-fold-"));
  writeFileSync(join(root, "load.py"), `import pickle\n${Array.from({ length: sinks }, (_, i) => `x${i} = pickle.load(open("f", "rb"))\n`).join("")}`);
  const report = await run({ root, today: "2026-11-27" });
  const loads = report.findings.filter((f) => f.ruleId === "code-unsafe-model-load");
  expect(loads).toHaveLength(FOLD.perFile + 1);
  expect(loads.at(-1)!.folded?.count).toBe(60);
  expect(report.summary.bySeverity.error).toBeGreaterThanOrEqual(sinks);
  expect(report.summary.passed).toBe(false);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(packageRoot(), "schemas/report.schema.json"), "utf8")));
  expect(validate(JSON.parse(renderJson(report))) ? [] : validate.errors).toEqual([]);

  const file = join(root, "..", `baseline-${Date.now()}.json`);
  const baseline = createBaseline(report);
  expect(baseline.findings.filter((b) => b.ruleId === "code-unsafe-model-load")).toHaveLength(sinks);
  writeFileSync(file, JSON.stringify(baseline));
  const again = await run({ root, today: "2026-11-27", baseline: file });
  expect(again.findings.filter((f) => f.ruleId === "code-unsafe-model-load" && f.status === "open")).toEqual([]);
  expect(again.summary.byStatus?.["baselined"]).toBeGreaterThanOrEqual(sinks);
}, 60_000);
