// Inline suppressions (`# aigate: ignore[rule-id] reason`, found by the scanners as `suppression`
// observations) turn the named rules' findings on the covered lines into "suppressed": still
// reported, never failing. They work for every rule, built-in or from an organisation pack.
import type { Observation } from "../inventory/types.js";
import type { Finding } from "./types.js";

export function applySuppressions(findings: Finding[], observations: readonly Observation[]): void {
  const byPath = new Map<string, { rules: string[]; lines: number[]; reason: string }[]>();
  for (const o of observations) {
    if (o.kind !== "suppression") continue;
    const d = o.data as { rules?: string[]; lines?: number[]; reason?: string } | undefined;
    if (!d?.rules?.length || !d.lines?.length || !d.reason) continue;
    byPath.set(o.location.path, [...(byPath.get(o.location.path) ?? []), { rules: d.rules, lines: d.lines, reason: d.reason }]);
  }
  for (const f of findings) {
    if (f.status !== "open") continue;
    const s = byPath.get(f.path)?.find((x) => x.lines.includes(f.line) && x.rules.includes(f.ruleId));
    if (s) {
      f.status = "suppressed";
      f.acceptedBy = `inline suppression: ${s.reason}`;
    }
  }
}
