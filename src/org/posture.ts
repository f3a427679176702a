// The organisation posture: what `aigate merge` makes of many repositories' reports. One document
// (postureVersion 1) holds the systems × controls matrix (each system's control statuses as one
// character per control column), the threats that apply to each system, the rules that fail most
// often, the risk acceptances by expiry, and the change against a previous posture.
import type { ControlStatus, Report } from "../report/types.js";

/** One character per control status in a system's `controls` string; " " when the control is not in its report. */
export const STATUS_CODE: Record<ControlStatus, string> = {
  fail: "F",
  accepted: "A",
  "not-claimed": "N",
  claimed: "C",
  supplier: "S",
  verified: "V",
  "not-applicable": "-",
};
export const CODE_STATUS: Record<string, ControlStatus | "absent"> = {
  ...Object.fromEntries(Object.entries(STATUS_CODE).map(([k, v]) => [v, k as ControlStatus])),
  " ": "absent",
};
/** Worst to best, for "improved" and "regressed" (not-applicable and absent are not compared). */
export const STATUS_RANK: Record<string, number> = { F: 0, N: 1, C: 2, A: 3, S: 4, V: 5 };

export type Verdict = "passed" | "failed" | "not-evaluated";

export interface PostureSystem {
  /** `repository` + " " + `name`: unique in a posture. */
  key: string;
  repository: string;
  name: string;
  manifest: string;
  verdict: Verdict;
  open: { error: number; warning: number; note: number };
  accepted: number;
  /** One STATUS_CODE character per entry of Posture.controls. */
  controls: string;
  /** Indices into Posture.threats of the threats that apply. */
  threats: number[];
  /** The policy the report was made with (name@version). */
  policy: string;
  generatedAt: string;
  commit: string | null;
  /** Set against a previous posture: "new", or the previous verdict when it changed. */
  change?: { kind: "new" } | { kind: "verdict"; from: Verdict } | { kind: "controls"; improved: number; regressed: number };
}

export interface PostureAcceptance {
  repository: string;
  system: string;
  id: string | null;
  target: string;
  approver: string;
  expires: string;
  /** Days from the posture's date to the expiry (negative: expired). */
  daysLeft: number;
  state: "expired" | "expiring" | "current";
  accepted: number;
  pending: boolean;
}

export interface PostureRule {
  id: string;
  title: string;
  control: string | null;
  severity: string;
  /** Systems with at least one open error or warning of this rule. */
  systems: number;
  /** Open error and warning findings of this rule. */
  findings: number;
}

export interface PostureChange {
  previous: { generatedAt: string; systems: number };
  added: string[];
  removed: string[];
  verdicts: { key: string; from: Verdict; to: Verdict }[];
  controls: { improved: number; regressed: number };
  totals: { systems: number; passed: number; failed: number; notEvaluated: number; error: number; warning: number; note: number };
}

export interface Posture {
  postureVersion: "1";
  tool: { name: "aigate"; version: string };
  generatedAt: string;
  /** The date expiries are counted from (YYYY-MM-DD). */
  today: string;
  inputs: { files: number; reports: number; invalid: { file: string; problem: string }[]; duplicates: number };
  totals: {
    repositories: number;
    systems: number;
    passed: number;
    failed: number;
    notEvaluated: number;
    open: { error: number; warning: number; note: number };
    accepted: number;
    acceptances: { total: number; expired: number; expiring: number; pending: number };
  };
  controls: { id: string; title: string; link: string; counts: Record<string, number> }[];
  threats: { id: string; title: string; link: string; systems: number }[];
  systems: PostureSystem[];
  rules: PostureRule[];
  acceptances: PostureAcceptance[];
  change: PostureChange | null;
}

/** What one report contributes, kept small: the merge holds these, never whole reports. */
export interface SystemDigest {
  repository: string;
  name: string;
  manifest: string;
  verdict: Verdict;
  open: { error: number; warning: number; note: number };
  accepted: number;
  controls: [string, string][];
  threats: string[];
  /** Open error and warning findings by rule (count). */
  rules: Record<string, number>;
  acceptances: NonNullable<Report["systems"][number]["acceptances"]>;
  policy: string;
  generatedAt: string;
  commit: string | null;
}

export interface Catalogue {
  controls: Map<string, { title: string; link: string }>;
  threats: Map<string, { title: string; link: string }>;
  rules: Map<string, { title: string; control: string | null; severity: string }>;
}

/** The systems of one (valid) report, digested; `repository` names it when the report does not. */
export function digestReport(report: Report, repository: string, cat: Catalogue): SystemDigest[] {
  const repo = report.repository?.name ?? repository;
  const policy = `${report.policy.name}@${report.policy.version}`;
  const byRule = new Map<string, Record<string, number>>();
  for (const f of report.findings) {
    if (!cat.rules.has(f.ruleId)) cat.rules.set(f.ruleId, { title: f.title, control: f.control, severity: f.severity });
    // A rule "fails" where it has open findings that are errors or warnings (notes never fail a default gate).
    if (f.status !== "open" || f.system === null || f.severity === "note") continue;
    let r = byRule.get(f.system);
    if (!r) byRule.set(f.system, (r = {}));
    r[f.ruleId] = (r[f.ruleId] ?? 0) + 1;
  }
  return report.systems.map((s) => {
    for (const c of s.controls) if (!cat.controls.has(c.id)) cat.controls.set(c.id, { title: c.title, link: c.link });
    for (const t of s.threats) if (t.applies && !cat.threats.has(t.id)) cat.threats.set(t.id, { title: t.title, link: t.link });
    const verdict: Verdict = !s.evaluated ? "not-evaluated" : (s.summary.verdict ?? (s.summary.passed ? "passed" : "failed"));
    return {
      repository: repo,
      name: s.name,
      manifest: s.manifest,
      verdict,
      open: { error: s.summary.errors, warning: s.summary.warnings, note: s.summary.notes },
      accepted: s.summary.accepted,
      controls: s.controls.map((c) => [c.id, STATUS_CODE[c.status] ?? "N"] as [string, string]),
      threats: s.threats.filter((t) => t.applies).map((t) => t.id),
      rules: s.evaluated ? (byRule.get(s.name) ?? {}) : {},
      acceptances: s.acceptances ?? [],
      policy,
      generatedAt: report.generatedAt ?? "",
      commit: report.repository?.commit ?? null,
    };
  });
}

const DAY = 86_400_000;

/** Builds the posture from digests (deduplicated already), the catalogue, and an optional previous posture. */
export function buildPosture(
  digests: SystemDigest[],
  cat: Catalogue,
  o: { today: string; generatedAt: string; version: string; inputs: Posture["inputs"]; previous?: Posture | null },
): Posture {
  const controlIds = [...cat.controls.keys()].sort();
  const controlIndex = new Map(controlIds.map((id, i) => [id, i]));
  const threatIds = [...cat.threats.keys()].sort();
  const threatIndex = new Map(threatIds.map((id, i) => [id, i]));
  const sorted = [...digests].sort((a, b) =>
    a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const counts = controlIds.map(() => ({}) as Record<string, number>);
  const threatSystems = threatIds.map(() => 0);
  const rules = new Map<string, { systems: number; findings: number }>();
  const acceptances: PostureAcceptance[] = [];
  const todayMs = Date.parse(o.today);
  const totals: Posture["totals"] = {
    repositories: new Set(sorted.map((d) => d.repository)).size,
    systems: sorted.length,
    passed: 0,
    failed: 0,
    notEvaluated: 0,
    open: { error: 0, warning: 0, note: 0 },
    accepted: 0,
    acceptances: { total: 0, expired: 0, expiring: 0, pending: 0 },
  };
  const systems: PostureSystem[] = sorted.map((d) => {
    const cells = new Array<string>(controlIds.length).fill(" ");
    for (const [id, code] of d.controls) {
      const i = controlIndex.get(id)!;
      cells[i] = code;
      counts[i]![code] = (counts[i]![code] ?? 0) + 1;
    }
    const threats = d.threats.map((t) => threatIndex.get(t)!).sort((a, b) => a - b);
    for (const t of threats) threatSystems[t]!++;
    for (const [rule, n] of Object.entries(d.rules)) {
      const r = rules.get(rule) ?? { systems: 0, findings: 0 };
      r.systems++;
      r.findings += n;
      rules.set(rule, r);
    }
    for (const a of d.acceptances) {
      const daysLeft = Math.round((Date.parse(a.expires) - todayMs) / DAY);
      const state = Number.isNaN(daysLeft) || daysLeft < 0 ? "expired" : daysLeft <= 30 ? "expiring" : "current";
      acceptances.push({
        repository: d.repository,
        system: d.name,
        id: a.id,
        target: a.target,
        approver: a.approver,
        expires: a.expires,
        daysLeft: Number.isNaN(daysLeft) ? 0 : daysLeft,
        state,
        accepted: a.accepted,
        pending: a.pending,
      });
    }
    totals[d.verdict === "passed" ? "passed" : d.verdict === "failed" ? "failed" : "notEvaluated"]++;
    totals.open.error += d.open.error;
    totals.open.warning += d.open.warning;
    totals.open.note += d.open.note;
    totals.accepted += d.accepted;
    return {
      key: `${d.repository} ${d.name}`,
      repository: d.repository,
      name: d.name,
      manifest: d.manifest,
      verdict: d.verdict,
      open: d.open,
      accepted: d.accepted,
      controls: cells.join(""),
      threats,
      policy: d.policy,
      generatedAt: d.generatedAt,
      commit: d.commit,
    };
  });
  acceptances.sort((a, b) => (a.expires < b.expires ? -1 : a.expires > b.expires ? 1 : a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0));
  totals.acceptances = {
    total: acceptances.length,
    expired: acceptances.filter((a) => a.state === "expired").length,
    expiring: acceptances.filter((a) => a.state === "expiring").length,
    pending: acceptances.filter((a) => a.pending).length,
  };
  const posture: Posture = {
    postureVersion: "1",
    tool: { name: "aigate", version: o.version },
    generatedAt: o.generatedAt,
    today: o.today,
    inputs: o.inputs,
    totals,
    controls: controlIds.map((id, i) => ({ id, title: cat.controls.get(id)!.title, link: cat.controls.get(id)!.link, counts: counts[i]! })),
    threats: threatIds.map((id, i) => ({ id, title: cat.threats.get(id)!.title, link: cat.threats.get(id)!.link, systems: threatSystems[i]! })),
    systems,
    rules: [...rules.entries()]
      .map(([id, r]) => ({
        id,
        title: cat.rules.get(id)?.title ?? id,
        control: cat.rules.get(id)?.control ?? null,
        severity: cat.rules.get(id)?.severity ?? "note",
        systems: r.systems,
        findings: r.findings,
      }))
      .sort((a, b) => b.systems - a.systems || b.findings - a.findings || (a.id < b.id ? -1 : 1)),
    acceptances,
    change: null,
  };
  if (o.previous) posture.change = compare(posture, o.previous);
  return posture;
}

/** The change from a previous posture: systems added and removed, verdicts changed, control cells improved or regressed. */
export function compare(now: Posture, before: Posture): PostureChange {
  const prev = new Map(before.systems.map((s) => [s.key, s]));
  const nowKeys = new Set(now.systems.map((s) => s.key));
  const prevCol = new Map(before.controls.map((c, i) => [c.id, i]));
  const change: PostureChange = {
    previous: { generatedAt: before.generatedAt, systems: before.systems.length },
    added: [],
    removed: before.systems.filter((s) => !nowKeys.has(s.key)).map((s) => s.key),
    verdicts: [],
    controls: { improved: 0, regressed: 0 },
    totals: {
      systems: now.totals.systems - before.totals.systems,
      passed: now.totals.passed - before.totals.passed,
      failed: now.totals.failed - before.totals.failed,
      notEvaluated: now.totals.notEvaluated - before.totals.notEvaluated,
      error: now.totals.open.error - before.totals.open.error,
      warning: now.totals.open.warning - before.totals.open.warning,
      note: now.totals.open.note - before.totals.open.note,
    },
  };
  for (const s of now.systems) {
    const p = prev.get(s.key);
    if (!p) {
      change.added.push(s.key);
      s.change = { kind: "new" };
      continue;
    }
    let improved = 0;
    let regressed = 0;
    now.controls.forEach((c, i) => {
      const j = prevCol.get(c.id);
      const a = j === undefined ? undefined : STATUS_RANK[p.controls[j] ?? " "];
      const b = STATUS_RANK[s.controls[i] ?? " "];
      if (a === undefined || b === undefined) return;
      if (b > a) improved++;
      else if (b < a) regressed++;
    });
    change.controls.improved += improved;
    change.controls.regressed += regressed;
    if (p.verdict !== s.verdict) {
      change.verdicts.push({ key: s.key, from: p.verdict, to: s.verdict });
      s.change = { kind: "verdict", from: p.verdict };
    } else if (improved || regressed) s.change = { kind: "controls", improved, regressed };
  }
  return change;
}
