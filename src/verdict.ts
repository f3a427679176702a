// The verdict: the one stage that decides which findings can fail the gate. Suppressions, risk
// acceptances, the baseline, the diff scope and the fail-on threshold are applied here, in this
// order, for the CLI and the Action alike; the GitHub layer only posts what this stage decided.
//
// Exceptions (suppressions, acceptances, baseline entries) come with a `trusted` flag decided by the
// caller from the base commit (see trusted.ts): what a change adds to them is *pending*: it does
// not count in this verdict, and the report lists it with the findings it would cover.
import type { Taxonomy } from "./exchange/types.js";
import { acceptanceMatches, applyAcceptances, staleAcceptanceDiagnostic } from "./findings/accept.js";
import { diagnosticFinding } from "./findings/diagnostics.js";
import type { Finding, FindingStatus, Severity } from "./findings/types.js";
import { passes } from "./gate.js";
import type { Diff } from "./github/diff.js";
import type { RiskAcceptance } from "./manifest/types.js";
import type { FailOn, PendingException, Report } from "./report/types.js";
import { weight } from "./findings/fold.js";

export type Scope = "changed" | "all";
export const SCOPES: readonly Scope[] = ["changed", "all"];

/** Manifest errors: the system was not evaluated, so nothing may wave them through. */
const NEVER_EXCEPTED = new Set(["manifest-yaml", "manifest-schema", "manifest-reference", "manifest-not-evaluated", "manifest-duplicate-folder"]);

export interface SuppressionEntry {
  path: string;
  /** Line of the suppression comment. */
  line: number;
  rules: string[];
  /** Lines it covers. */
  lines: number[];
  reason: string;
  trusted: boolean;
}

export interface AcceptanceEntry {
  system: string;
  index: number;
  acceptance: RiskAcceptance;
  /** Where the entry is in the manifest. */
  location: { path: string; line: number };
  trusted: boolean;
}

export interface BaselineInput {
  /** Where the baseline is (as given). */
  file: string;
  /** Fingerprints of the trusted baseline (the base commit's, or the file itself without a base). */
  trusted: ReadonlySet<string>;
  /** Fingerprints the change adds to the baseline: they apply after review. */
  pending: ReadonlySet<string>;
}

export interface VerdictOptions {
  failOn: FailOn;
  today: string;
  taxonomy: Taxonomy;
  scope: Scope;
  /** The change's lines, paths relative to the report's root; null when unknown. */
  diff: Diff | null;
  suppressions: SuppressionEntry[];
  acceptances: AcceptanceEntry[];
  baseline: BaselineInput | null;
  /** Other pending changes to the gate's configuration found while loading (packs, ignore globs). */
  pendingConfig?: PendingException[];
  /** Pending exceptions count too: someone allowed by the base configuration approved the change. */
  pendingApprovedBy?: string[] | null;
  /** A base commit is known: when its diff is not, every finding may be new (broad acceptances cover none). */
  baseKnown?: boolean;
}

export interface VerdictResult {
  pending: PendingException[];
  notes: string[];
  counts: { suppressed: number; accepted: number; baselined: number; preExisting: number };
}

/** True when the finding sits on a line the diff adds or edits (or in a whole new or binary file). */
export function inDiff(f: Finding, diff: Diff, toDiffPath: (p: string) => string = (p) => p): boolean {
  const change = diff.files.get(toDiffPath(f.path));
  if (!change) return false;
  return change.whole || change.added.has(f.line);
}

/** Applies every exception and the scope to `findings` (statuses change; nothing is removed). */
export function decide(findings: Finding[], o: VerdictOptions): VerdictResult {
  const notes: string[] = [];
  const pending: PendingException[] = [...(o.pendingConfig ?? [])];
  const approved = !!o.pendingApprovedBy?.length;
  if (approved) notes.push(`Exceptions this change adds count: approved by ${o.pendingApprovedBy!.join(", ")}.`);
  const counts = { suppressed: 0, accepted: 0, baselined: 0, preExisting: 0 };
  const usable = (f: Finding) => f.status === "open" && !NEVER_EXCEPTED.has(f.ruleId);
  const diff = o.diff && !o.diff.incomplete ? o.diff : null;
  const isNew = diff ? (f: Finding) => inDiff(f, diff) : o.baseKnown ? () => true : undefined;

  // 1. Inline suppressions.
  for (const s of o.suppressions) {
    const covered = findings.filter((f) => usable(f) && f.path === s.path && s.lines.includes(f.line) && s.rules.includes(f.ruleId));
    if (s.trusted || approved) {
      for (const f of covered) {
        f.status = "suppressed";
        f.acceptedBy = `inline suppression: ${s.reason}`;
        counts.suppressed++;
      }
    } else {
      pending.push({
        kind: "suppression",
        path: s.path,
        line: s.line,
        system: covered[0]?.system ?? null,
        description: `inline suppression of ${s.rules.join(", ")}`,
        covers: covered.map((f) => f.fingerprint),
      });
      for (const f of covered) f.pendingException = "an inline suppression this change adds";
    }
  }

  // 2. Risk acceptances, per system; a broad one never covers a finding this change adds.
  const bySystem = new Map<string, AcceptanceEntry[]>();
  for (const a of o.acceptances) bySystem.set(a.system, [...(bySystem.get(a.system) ?? []), a]);
  for (const [system, entries] of bySystem) {
    const live = entries.filter((e) => e.trusted || approved);
    const before = new Set(findings.filter((f) => f.status === "accepted"));
    const candidates = findings.filter((f) => f.system === system && usable(f));
    const use = applyAcceptances(
      candidates,
      system,
      live.map((e) => e.acceptance),
      o.today,
      o.taxonomy,
      { isNew },
    );
    counts.accepted += findings.filter((f) => f.status === "accepted" && !before.has(f)).length;
    // An acceptance that covers nothing is stale: say so where it is written.
    for (const ra of use.stale) {
      const e = live.find((x) => x.acceptance === ra)!;
      const d = staleAcceptanceDiagnostic(ra, system, { ...e.location, column: 1 }, e.index);
      findings.push(diagnosticFinding(d));
    }
    for (const e of entries.filter((x) => !x.trusted && !approved)) {
      const current = e.acceptance.expires >= o.today;
      const covered = current ? findings.filter((f) => f.system === system && usable(f) && acceptanceMatches(e.acceptance, f, o.taxonomy)) : [];
      const label = e.acceptance.id ?? `#${e.index + 1}`;
      pending.push({
        kind: "risk-acceptance",
        path: e.location.path,
        line: e.location.line,
        system,
        description: `risk acceptance ${label}${e.acceptance.rule ? ` (rule ${e.acceptance.rule})` : ""}`,
        covers: covered.map((f) => f.fingerprint),
      });
      for (const f of covered) f.pendingException ??= `risk acceptance ${label}, which this change adds`;
    }
  }

  // 3. The baseline.
  if (o.baseline) {
    const covered: Finding[] = [];
    for (const f of findings) {
      if (!usable(f)) continue;
      if (o.baseline.trusted.has(f.fingerprint)) {
        f.status = "baselined";
        counts.baselined++;
      } else if (o.baseline.pending.has(f.fingerprint)) {
        if (approved) {
          f.status = "baselined";
          counts.baselined++;
        } else {
          covered.push(f);
          f.pendingException ??= `the baseline entry this change adds to ${o.baseline.file}`;
        }
      }
    }
    if (o.baseline.pending.size && !approved)
      pending.push({
        kind: "baseline",
        path: o.baseline.file,
        line: 1,
        system: null,
        description: `${o.baseline.pending.size} baseline entries`,
        covers: covered.map((f) => f.fingerprint),
      });
  }

  // 4. Scope: only findings on changed lines can fail; an unknown or incomplete diff marks none (fail safe).
  if (o.scope === "changed") {
    if (!o.diff) notes.push("scope: changed could not be applied (the changes are unknown), so every finding can fail the gate.");
    else if (o.diff.incomplete) notes.push("The change is larger than the diff could list, so every finding can fail the gate.");
    else {
      for (const f of findings) {
        if (usable(f) && !inDiff(f, o.diff)) {
          f.status = "pre-existing";
          counts.preExisting++;
        }
      }
      notes.push(
        `scope: changed: ${counts.preExisting} findings outside the ${o.diff.files.size} changed files' new lines are pre-existing and do not fail the gate.`,
      );
    }
  }
  if (pending.length) {
    const n = pending.reduce((s, p) => s + p.covers.length, 0);
    notes.push(
      `This change adds ${describePending(pending)} to the gate's own configuration: they apply after review${n ? ` (they would cover ${n} findings, which stay open)` : ""}.`,
    );
  }
  return { pending, notes, counts };
}

export function describePending(pending: readonly PendingException[]): string {
  const n = (k: PendingException["kind"]) => pending.filter((p) => p.kind === k).length;
  const parts: string[] = [];
  const add = (count: number, one: string, many: string) => count && parts.push(`${count} ${count === 1 ? one : many}`);
  add(n("risk-acceptance"), "risk acceptance", "risk acceptances");
  add(n("suppression"), "inline suppression", "inline suppressions");
  if (n("baseline")) parts.push("new baseline entries");
  add(n("policy-pack"), "policy-pack change", "policy-pack changes");
  add(n("ignore"), "ignore glob", "ignore globs");
  add(n("config"), "configuration-file change", "configuration-file changes");
  return parts.join(", ") || "nothing";
}

/** Findings as counted: a folded finding counts for each it stands for. */
const total = (list: readonly Finding[]) => list.reduce((n, f) => n + weight(f), 0);
const count = (list: readonly Finding[], s: Severity) => total(list.filter((f) => f.severity === s));

/** Computes the report's and each system's counts and verdicts from the findings' statuses (once, after decide). */
export function summarise(report: Report): void {
  const failOn: FailOn = report.summary.failOn;
  const open = report.findings.filter((f) => f.status === "open");
  const byStatus: Partial<Record<FindingStatus, number>> = {};
  for (const f of report.findings) byStatus[f.status] = (byStatus[f.status] ?? 0) + weight(f);
  const notEvaluated = report.systems.filter((s) => !s.evaluated).length;
  report.summary = {
    ...report.summary,
    findings: total(report.findings),
    open: total(open),
    accepted: total(report.findings.filter((f) => f.status === "accepted")),
    byStatus: byStatus as Record<string, number>,
    bySeverity: { error: count(open, "error"), warning: count(open, "warning"), note: count(open, "note") },
    notEvaluated,
    // A system that was not evaluated fails the gate whatever else was decided; only fail-on never passes it.
    passed: passes(report.findings, failOn) && (failOn === "never" || notEvaluated === 0),
  };
  for (const s of report.systems) {
    const mine = report.findings.filter((f) => (s.evaluated ? f.system === s.name : f.path === s.manifest));
    const mineOpen = mine.filter((f) => f.status === "open");
    const passed = passes(mine, failOn) && (s.evaluated || failOn === "never");
    s.summary = {
      errors: count(mineOpen, "error"),
      warnings: count(mineOpen, "warning"),
      notes: count(mineOpen, "note"),
      accepted: total(mine.filter((f) => f.status === "accepted")),
      passed,
      verdict: !s.evaluated ? "not-evaluated" : passed ? "passed" : "failed",
    };
  }
}

/** Pass/fail of one system as a word people read: never "passed" for a system that was not evaluated. */
export function systemVerdict(s: { evaluated: boolean; summary: { passed: boolean } }): "passed" | "failed" | "not evaluated" {
  if (!s.evaluated) return "not evaluated";
  return s.summary.passed ? "passed" : "failed";
}
