// The diff-aware gate (`scope: changed`): only findings on the lines a change adds or edits (or
// anywhere in a new or binary file) can fail the gate; the rest are `pre-existing`. Also restates
// the report's counts after baseline and scope changed statuses, so every reporter agrees.
import type { Finding, Severity } from "./findings/types.js";
import { applyBaseline, readBaseline } from "./baseline.js";
import { diffFromGit, type Diff } from "./github/diff.js";
import { passes } from "./gate.js";
import type { Report } from "./report/types.js";
import { ConfigError } from "./run.js";

export type Scope = "changed" | "all";
export const SCOPES: readonly Scope[] = ["changed", "all"];

/** True when the finding sits on a line the diff adds or edits. `toDiffPath` maps a report path to a diff path. */
export function inDiff(f: Finding, diff: Diff, toDiffPath: (p: string) => string = (p) => p): boolean {
  const change = diff.files.get(toDiffPath(f.path));
  if (!change) return false;
  return change.whole || change.added.has(f.line);
}

/** Marks open findings outside the diff as pre-existing; returns how many. An incomplete diff marks none (fail safe). */
export function applyScope(findings: Finding[], diff: Diff, toDiffPath?: (p: string) => string): number {
  if (diff.incomplete) return 0;
  let n = 0;
  for (const f of findings) {
    if (f.status === "open" && !inDiff(f, diff, toDiffPath)) {
      f.status = "pre-existing";
      n++;
    }
  }
  return n;
}

/** Recomputes the report's and each system's counts and verdicts from the findings' statuses. */
export function restate(report: Report): void {
  const failOn = report.summary.failOn;
  const open = report.findings.filter((f) => f.status === "open");
  const count = (list: Finding[], s: Severity) => list.filter((f) => f.severity === s).length;
  report.summary.open = open.length;
  report.summary.accepted = report.findings.filter((f) => f.status === "accepted").length;
  const byStatus: Record<string, number> = {};
  for (const f of report.findings) byStatus[f.status] = (byStatus[f.status] ?? 0) + 1;
  report.summary.byStatus = byStatus;
  report.summary.bySeverity = { error: count(open, "error"), warning: count(open, "warning"), note: count(open, "note") };
  report.summary.passed = passes(report.findings, failOn);
  for (const s of report.systems) {
    const mine = report.findings.filter((f) => (s.evaluated ? f.system === s.name : f.path === s.manifest));
    const mineOpen = mine.filter((f) => f.status === "open");
    s.summary = {
      errors: count(mineOpen, "error"),
      warnings: count(mineOpen, "warning"),
      notes: count(mineOpen, "note"),
      accepted: mine.filter((f) => f.status === "accepted").length,
      passed: passes(mine, failOn),
    };
  }
}

/** The CLI's baseline and scope: `--baseline FILE`, `--scope changed --base REF` (git diff from the merge base). */
export async function applyLocalScope(report: Report, o: { root: string; scope: Scope; base?: string; baseline?: string }): Promise<{ baselined: number; preExisting: number }> {
  let baselined = 0;
  let preExisting = 0;
  if (o.baseline) baselined = applyBaseline(report.findings, await readBaseline(o.baseline));
  if (o.scope === "changed") {
    if (!o.base) throw new ConfigError("--scope changed needs --base <ref> (the branch or commit to compare with)");
    const diff = await diffFromGit(o.root, o.base).catch((e: Error) => {
      throw new ConfigError(e.message);
    });
    preExisting = applyScope(report.findings, diff);
  }
  if (baselined || preExisting) restate(report);
  return { baselined, preExisting };
}
