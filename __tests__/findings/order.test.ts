// Report order is the same on every machine: paths and rule ids compare by code units, never by the
// locale of whoever runs the gate (a baseline written on one machine is byte-identical on another).
import type { Finding } from "../../src/findings/types.js";
import { bySeverity } from "../../src/gate.js";
import { byCodeUnits } from "../../src/util/sorted.js";
import { aFinding } from "../helpers/findings.js";

const finding = (path: string, over: Partial<Finding> = {}): Finding => aFinding({ ruleId: "code-unsafe-model-load", path, ...over });

// Names a collation orders otherwise: case, punctuation, accents, digits.
const PATHS = ["b.py", "B.py", "a.py", "_x.py", "é.py", "e.py", "10.py", "9.py", "A/z.py", "a/Z.py", "a-b.py", "a_b.py"];

test("byCodeUnits is the < order of JavaScript strings", () => {
  const sorted = [...PATHS].sort(byCodeUnits);
  expect(sorted).toEqual([...PATHS].sort());
  expect(sorted.slice(0, 4)).toEqual(["10.py", "9.py", "A/z.py", "B.py"]);
  expect(byCodeUnits("a", "a")).toBe(0);
});

test("findings: severity first, then path and rule by code units whatever the locale", () => {
  const list = PATHS.map((p) => finding(p, { severity: p.startsWith("a") ? "warning" : "error" }));
  const sorted = [...list].sort(bySeverity).map((f) => f.path);
  const errors = PATHS.filter((p) => !p.startsWith("a")).sort();
  const warnings = PATHS.filter((p) => p.startsWith("a")).sort();
  expect(sorted).toEqual([...errors, ...warnings]);
  const sameFile = [finding("x.py", { ruleId: "b-rule" }), finding("x.py", { ruleId: "B-rule" }), finding("x.py", { ruleId: "a-rule" })];
  expect(sameFile.sort(bySeverity).map((f) => f.ruleId)).toEqual(["B-rule", "a-rule", "b-rule"]);
});
