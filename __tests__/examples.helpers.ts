// Shared by the examples' tests and scripts/update-expected.ts.
import type { Report } from "../src/report/types.js";

export const EXAMPLES = ["support-assistant", "claims-triage", "ops-agent"] as const;
/** The date the examples are evaluated at, so expiries in them do not drift. */
export const EXAMPLES_TODAY = "2026-11-27";

/** One line per finding, as the expected-findings files hold them. */
export function findingLines(r: Report): string[] {
  return r.findings.map((f) => `${f.path}:${f.line}:${f.column} ${f.severity} ${f.ruleId} ${f.control ?? "-"} ${f.status}`);
}
