// What the configuration and the pack sources add to a run's report, after run(): the
// configuration's `ignore` globs, the configuration file and what the change does to it (pending),
// the pinned pack sources used, the repository the report is about, and each system's risk
// acceptances with their expiry (for the organisation posture). Shared by the CLI and the Action.
import { posix } from "node:path";
import { makeLocator } from "../manifest/load.js";
import type { PolicySource } from "../packs/sources.js";
import type { PinnedPacks } from "../policy/load.js";
import type { AcceptanceRecord, ControlReport, Report } from "../report/types.js";
import { matchesAny, matchesGlobOrBelow } from "../util/glob.js";
import { readRepoFile } from "../util/safe-fs.js";
import { parseYamlSource } from "../util/yaml-source.js";
import { describePending, summarise } from "../verdict.js";
import type { LoadedConfig } from "./load.js";

export interface FinishOptions {
  /** The checked folder. */
  root: string;
  /** The checked folder relative to the repository's top level ("" at the top). */
  prefix: string;
  loaded?: LoadedConfig | null;
  /** Globs (relative to the repository's top level) whose files are left out. */
  ignore?: string[];
  /** Where the ignore globs come from, for the note. */
  ignoreSource?: string;
  pinned?: PinnedPacks | null;
  sources?: PolicySource[];
  repository?: { name: string; commit?: string | null } | null;
}

export async function finishReport(report: Report, o: FinishOptions): Promise<Report> {
  if (o.ignore?.length) applyIgnore(report, o.ignore, o.prefix, o.ignoreSource ?? "aigate.yml");
  await recordAcceptances(report, o.root);
  if (o.loaded) {
    report.config = { file: o.loaded.file, source: o.loaded.source };
    if (o.loaded.pending.length) {
      report.pending = [...(report.pending ?? []), ...o.loaded.pending];
      report.notes = [
        ...(report.notes ?? []),
        `This change adds ${describePending(o.loaded.pending)} to the gate's own configuration: ${o.loaded.file ?? "the configuration"} as it is at the base applies until the change is merged.`,
      ];
    }
    if (o.loaded.notes.length) report.notes = [...(report.notes ?? []), ...o.loaded.notes];
  }
  if (o.pinned) report.policy.files = report.policy.files.map((f) => o.pinned!.sourceOf(f)?.name(f) ?? f);
  if (o.sources?.length) report.policy.sources = o.sources.map((s) => ({ ...s, files: [...s.files] }));
  if (o.repository) report.repository = o.repository;
  summarise(report);
  return report;
}

const FAILING = new Set(["open", "baselined", "pre-existing"]);

/**
 * Leaves out what the `ignore` globs match: findings located in those files, model verdicts and
 * unscanned entries, and systems whose manifest they match (with their findings). Counts and
 * verdicts are computed again; a control that failed only because of a left-out finding is shown
 * as what its claim says (claimed or not claimed), never as verified.
 */
export function applyIgnore(report: Report, globs: readonly string[], prefix: string, source: string): void {
  const repoPath = (p: string) => (prefix ? posix.join(prefix, p) : p);
  const ignored = (p: string) => p !== "." && !p.startsWith("(") && (matchesAny(repoPath(p), globs) || globs.some((g) => matchesGlobOrBelow(repoPath(p), g)));
  const droppedSystems = new Set(report.systems.filter((s) => ignored(s.manifest)).map((s) => s.name));
  const before = report.findings.length;
  const files = new Set<string>();
  report.findings = report.findings.filter((f) => {
    const out = ignored(f.path) || (f.system !== null && droppedSystems.has(f.system));
    if (out) files.add(f.path);
    return !out;
  });
  report.systems = report.systems.filter((s) => !droppedSystems.has(s.name));
  report.inventory.models = report.inventory.models.filter((m) => !ignored(m.path));
  report.inventory.unscanned = report.inventory.unscanned.filter((u) => !ignored(u.path));
  const kept = new Set(report.findings.map((f) => f.fingerprint));
  if (report.pending)
    report.pending = report.pending
      .filter((p) => !ignored(p.path) && !(p.system && droppedSystems.has(p.system)))
      .map((p) => ({ ...p, covers: p.covers.filter((c) => kept.has(c)) }));
  for (const s of report.systems) s.controls = s.controls.map((c) => recount(c, report, s.name));
  const left = before - report.findings.length;
  if (left || droppedSystems.size) {
    report.notes = [
      ...(report.notes ?? []),
      `${source} ignores ${globs.map((g) => JSON.stringify(g)).join(", ")}: ${left} finding${left === 1 ? "" : "s"} in ${files.size} file${files.size === 1 ? "" : "s"}${droppedSystems.size ? ` and ${droppedSystems.size} system${droppedSystems.size === 1 ? "" : "s"}` : ""} left out.`,
    ];
  }
}

function recount(c: ControlReport, report: Report, system: string): ControlReport {
  const mine = report.findings.filter((f) => f.system === system && f.control === c.id);
  if (c.status !== "fail") return { ...c, findings: mine.length };
  if (mine.some((f) => FAILING.has(f.status) && f.severity !== "note")) return { ...c, findings: mine.length };
  const status: ControlReport["status"] = mine.some((f) => f.status === "accepted" || f.status === "suppressed")
    ? "accepted"
    : c.claimed && c.claimed !== "planned"
      ? "claimed"
      : "not-claimed";
  return { ...c, status, findings: mine.length };
}

interface RawAcceptance {
  id?: unknown;
  rule?: unknown;
  control?: unknown;
  threat?: unknown;
  fingerprints?: unknown;
  approver?: unknown;
  expires?: unknown;
}

/** Each evaluated system's risk acceptances (from its manifest), with the findings of this run each accepted. */
async function recordAcceptances(report: Report, root: string): Promise<void> {
  for (const s of report.systems) {
    if (!s.evaluated) continue;
    const text = await readRepoFile(root, s.manifest, 256 * 1024).then(
      (b) => b.toString("utf8"),
      () => null,
    );
    if (text === null) continue;
    const src = parseYamlSource(text);
    const list = (src.value as { riskAcceptances?: unknown } | null)?.riskAcceptances;
    if (!Array.isArray(list)) {
      s.acceptances = [];
      continue;
    }
    const locate = makeLocator(s.manifest, src);
    s.acceptances = list.flatMap((raw: RawAcceptance, i): AcceptanceRecord[] => {
      if (!raw || typeof raw !== "object" || typeof raw.approver !== "string" || typeof raw.expires !== "string") return [];
      const id = typeof raw.id === "string" ? raw.id : null;
      const label = `${id ?? "risk acceptance"} (${raw.approver}, until ${raw.expires})`;
      const loc = locate(`/riskAcceptances/${i}`);
      const target =
        [raw.rule, raw.control, raw.threat].find((x): x is string => typeof x === "string") ??
        (Array.isArray(raw.fingerprints) ? `${raw.fingerprints.length} finding${raw.fingerprints.length === 1 ? "" : "s"} by fingerprint` : "");
      return [
        {
          id,
          target,
          approver: raw.approver,
          expires: raw.expires,
          accepted: report.findings.filter((f) => f.system === s.name && f.status === "accepted" && f.acceptedBy === label).length,
          pending: (report.pending ?? []).some((p) => p.kind === "risk-acceptance" && p.path === loc.path && p.line === loc.line),
        },
      ];
    });
  }
}
