// The gate: open findings at or above the `fail-on` severity fail the run. Accepted findings never do.
import type { Finding, Severity } from "./findings/types.js";
import type { FailOn } from "./report/types.js";
import { byCodeUnits } from "./util/sorted.js";

const RANK: Record<Severity, number> = { error: 3, warning: 2, note: 1 };

export function atLeast(severity: Severity, threshold: FailOn): boolean {
  return threshold !== "never" && RANK[severity] >= RANK[threshold];
}

export function failing(findings: readonly Finding[], failOn: FailOn): Finding[] {
  return findings.filter((f) => f.status === "open" && atLeast(f.severity, failOn));
}

export function passes(findings: readonly Finding[], failOn: FailOn): boolean {
  return failing(findings, failOn).length === 0;
}

export function bySeverity(a: Finding, b: Finding): number {
  return RANK[b.severity] - RANK[a.severity] || byCodeUnits(a.path, b.path) || a.line - b.line || a.column - b.column || byCodeUnits(a.ruleId, b.ruleId);
}
