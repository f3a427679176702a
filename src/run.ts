// One run of aigate, shared by the CLI and the Action: walk, scan, load manifests and packs,
// analyse, evaluate, accept, gate. Returns the Report; never prints, never exits.
import { stat } from "node:fs/promises";
import { posix } from "node:path";
import { minimatch } from "minimatch";
import { analyse } from "./exchange/analysis.js";
import { loadTaxonomy } from "./exchange/taxonomy.js";
import type { Analysis, Taxonomy } from "./exchange/types.js";
import { applyAcceptances } from "./findings/accept.js";
import { applySuppressions } from "./findings/suppress.js";
import { diagnosticFinding, type Diagnostic } from "./findings/diagnostics.js";
import type { Finding } from "./findings/types.js";
import { bySeverity, passes } from "./gate.js";
import { SCANNERS } from "./inventory/scanners/index.js";
import type { Inventory } from "./inventory/types.js";
import { scanContext } from "./inventory/context.js";
import { isUnder, walkRepository } from "./inventory/walk.js";
import { loadManifest, makeLocator } from "./manifest/load.js";
import type { System } from "./manifest/types.js";
import { evaluate, type SystemEvaluation } from "./policy/engine.js";
import { loadPacks } from "./policy/load.js";
import type { PolicyPack } from "./policy/types.js";
import type { ControlReport, FailOn, Report, SystemReport } from "./report/types.js";
import { matchesAny } from "./util/glob.js";
import { VERSION } from "./version.js";

export const DEFAULT_MANIFEST_GLOB = "**/ai-system.{yaml,yml}";

export interface RunOptions {
  root: string;
  manifestGlob?: string;
  policyFiles?: string[];
  failOn?: FailOn;
  /** Today's date (YYYY-MM-DD); defaults to the current UTC date. */
  today?: string;
  /** Where relative policy paths are resolved (default: the process's working folder). */
  cwd?: string;
}

/** A mistake in how aigate was invoked (missing folder, broken policy pack): exit status 2. */
export class ConfigError extends Error {}

export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function run(opts: RunOptions): Promise<Report> {
  const root = opts.root;
  const st = await stat(root).catch(() => undefined);
  if (!st?.isDirectory()) throw new ConfigError(`not a folder: ${root}`);
  const today = opts.today ?? utcToday();
  const failOn = opts.failOn ?? "error";
  const taxonomy = loadTaxonomy();
  const pack = await loadPacks(taxonomy, opts.policyFiles ?? [], { cwd: opts.cwd });

  const walk = await walkRepository(root);
  const inventory = await scan(root, walk.files, pack);

  const glob = opts.manifestGlob ?? DEFAULT_MANIFEST_GLOB;
  const manifestPaths = walk.files.map((f) => f.path).filter((p) => minimatch(p, glob, { dot: true }));
  const diagnostics: Diagnostic[] = [];
  const systems: System[] = [];
  const invalid: { path: string; name: string | null }[] = [];
  const seenFolders = new Map<string, string>();
  for (const path of manifestPaths) {
    const folder = posix.dirname(path) === "." ? "" : posix.dirname(path);
    if (seenFolders.has(folder)) {
      diagnostics.push({ id: "manifest-duplicate-folder", message: `${path} and ${seenFolders.get(folder)} are in the same folder; only ${seenFolders.get(folder)} was read`, location: { path, line: 1, column: 1 }, key: path, system: null });
      continue;
    }
    seenFolders.set(folder, path);
    const loaded = await loadManifest(root, path, taxonomy);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.system) {
      const dup = systems.find((s) => s.manifest.name === loaded.system!.manifest.name);
      if (dup) {
        diagnostics.push({ id: "manifest-schema", message: `system name "${loaded.system.manifest.name}" is already used by ${dup.source.path}`, location: loaded.system.locate("/name"), key: "dup-name", system: loaded.system.manifest.name });
        invalid.push({ path, name: loaded.name });
      } else systems.push(loaded.system);
    } else {
      invalid.push({ path, name: loaded.name });
      diagnostics.push({ id: "manifest-not-evaluated", message: `system ${loaded.name ?? path} was not evaluated: its manifest has errors`, location: { path, line: 1, column: 1 }, key: "not-evaluated", system: loaded.name });
    }
  }
  if (manifestPaths.length === 0) {
    diagnostics.push({ id: "manifest-missing", message: `no AI system manifest matches ${glob}: the repository's AI artifacts are checked, but no system's threats and controls`, location: { path: "ai-system.yaml", line: 1, column: 1 }, key: glob, system: null });
  }

  // Each manifest governs its folder, minus nested manifests' folders and its `ignore` globs.
  const allFolders = [...seenFolders.keys()];
  const governedBy = new Map<string, string[]>();
  const governed = new Set<string>();
  for (const s of systems) {
    s.excludedFolders = allFolders.filter((f) => f !== s.folder && isUnder(f, s.folder));
    const rel = (p: string) => (s.folder ? p.slice(s.folder.length + 1) : p);
    const files = walk.files
      .map((f) => f.path)
      .filter((p) => isUnder(p, s.folder) && !s.excludedFolders.some((f) => isUnder(p, f)) && !(s.manifest.ignore && matchesAny(rel(p), s.manifest.ignore)));
    files.forEach((p) => governed.add(p));
    governedBy.set(s.source.path, files);
  }
  const evals: SystemEvaluation[] = systems.map((s) => ({
    system: s,
    analysis: analyse(taxonomy, s.manifest.profile, (s.manifest.responsibilities ?? []).map((r) => ({ threats: r.threats ?? [], share: r.share, supplier: r.supplier }))),
    governedFiles: governedBy.get(s.source.path)!,
  }));
  const ungoverned = walk.files.map((f) => f.path).filter((p) => !governed.has(p));
  if (ungoverned.length) evals.push({ system: ungovernedSystem(), analysis: analyse(taxonomy, {}), governedFiles: ungoverned });

  const { findings } = evaluate(evals, pack, { taxonomy, inventory, today, folders: walk.folders });
  for (const s of systems) checkAcceptanceRules(s, pack, diagnostics);
  findings.push(...diagnostics.map((d) => diagnosticFinding(d)));
  applySuppressions(findings, inventory.observations);
  for (const s of systems) applyAcceptances(findings, s.manifest.name, s.manifest.riskAcceptances ?? [], today, taxonomy);
  findings.sort(bySeverity);

  const systemReports = [
    ...evals.filter((e) => !e.system.synthetic).map((e) => systemReport(e, findings, taxonomy, failOn)),
    ...invalid.map((i) => invalidSystemReport(i, findings, failOn)),
  ];
  const open = findings.filter((f) => f.status === "open");
  return {
    reportVersion: "1",
    tool: { name: "aigate", version: VERSION },
    generatedAt: new Date().toISOString(),
    today,
    root,
    policy: { name: pack.name, version: pack.version, files: pack.files.map((f) => relativeToPackage(f)), rules: pack.rules.length },
    systems: systemReports,
    findings,
    inventory: { files: walk.files.length, models: inventory.models, unscanned: inventory.unscanned },
    summary: {
      findings: findings.length,
      open: open.length,
      accepted: findings.filter((f) => f.status === "accepted").length,
      byStatus: countStatuses(findings),
      bySeverity: { error: open.filter((f) => f.severity === "error").length, warning: open.filter((f) => f.severity === "warning").length, note: open.filter((f) => f.severity === "note").length },
      failOn,
      passed: passes(findings, failOn),
    },
  };
}

function relativeToPackage(f: string): string {
  const i = f.lastIndexOf("/policies/builtin/");
  return i >= 0 ? "builtin:" + f.slice(i + "/policies/builtin/".length) : f;
}

async function scan(root: string, files: Inventory["files"], pack: PolicyPack): Promise<Inventory> {
  const inv: Inventory = { root, files, observations: [], unscanned: [], models: [], facts: {} };
  const ctx = scanContext(root, files, pack.settings);
  for (const scanner of SCANNERS) {
    try {
      const r = await scanner.scan(ctx);
      inv.observations.push(...r.observations);
      inv.unscanned.push(...r.unscanned);
      inv.models.push(...(r.models ?? []));
      if (r.facts) inv.facts[scanner.meta.id] = r.facts;
    } catch (e) {
      // A scanner bug must not pass the files it did not finish as clean.
      inv.unscanned.push({ path: ".", scanner: scanner.meta.id, reason: `scanner failed: ${(e as Error).message}` });
    }
  }
  return inv;
}

function ungovernedSystem(): System {
  const src = { ranges: new Map(), position: () => ({ line: 1, column: 1 }) };
  return {
    manifest: { apiVersion: "aigate/v1", name: "(ungoverned)", owner: { team: "", contact: "" }, profile: {} },
    source: { path: "(ungoverned)", text: "", ...src },
    folder: "",
    excludedFolders: [],
    synthetic: true,
    locate: makeLocator("(ungoverned)", src),
  };
}

/** Risk acceptances that name a rule must name a loaded one. */
function checkAcceptanceRules(s: System, pack: PolicyPack, out: Diagnostic[]): void {
  const ids = pack.rules.map((r) => r.id);
  (s.manifest.riskAcceptances ?? []).forEach((ra, i) => {
    if (ra.rule && !ids.includes(ra.rule)) {
      const near = ids.filter((id) => id.includes(ra.rule!) || ra.rule!.includes(id)).slice(0, 3);
      out.push({ id: "manifest-reference", message: `risk acceptance names unknown rule "${ra.rule}"${near.length ? ` (did you mean ${near.map((x) => `"${x}"`).join(" or ")}?)` : ""}`, location: s.locate(`/riskAcceptances/${i}/rule`), key: `ra-rule:${ra.rule}`, system: s.manifest.name });
    }
  });
}

function controlStatuses(analysis: Analysis, system: System, findings: Finding[], t: Taxonomy): ControlReport[] {
  return analysis.controls.map((c) => {
    const mine = findings.filter((f) => f.system === system.manifest.name && f.control === c.id);
    const failingOnes = mine.filter((f) => f.status === "open" && f.severity !== "note");
    let status: ControlReport["status"];
    if (!c.applies) status = "not-applicable";
    else if (failingOnes.length) status = "fail";
    else if (mine.some((f) => f.status === "accepted")) status = "accepted";
    else if (c.owner === "supplier") status = "supplier";
    else status = "pass";
    void t;
    return { id: c.id, title: c.title, link: c.link, status, claimed: system.manifest.controls?.[c.id]?.status ?? null, because: c.because, findings: mine.length };
  });
}

function countStatuses(findings: Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.status] = (out[f.status] ?? 0) + 1;
  return out;
}

function summarise(findings: Finding[], failOn: FailOn) {
  const open = findings.filter((f) => f.status === "open");
  return {
    errors: open.filter((f) => f.severity === "error").length,
    warnings: open.filter((f) => f.severity === "warning").length,
    notes: open.filter((f) => f.severity === "note").length,
    accepted: findings.filter((f) => f.status === "accepted").length,
    passed: passes(findings, failOn),
  };
}

function systemReport(e: SystemEvaluation, findings: Finding[], t: Taxonomy, failOn: FailOn): SystemReport {
  const a = e.analysis;
  const pick = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, a.facts[k]!]));
  const mine = findings.filter((f) => f.system === e.system.manifest.name);
  return {
    name: e.system.manifest.name,
    manifest: e.system.source.path,
    folder: e.system.folder,
    evaluated: true,
    facts: { stated: a.stated, implied: pick(Object.keys(a.implied)), defaulted: pick(a.defaulted), unstated: a.unstated },
    threats: a.threats,
    controls: controlStatuses(a, e.system, findings, t),
    summary: summarise(mine, failOn),
  };
}

function invalidSystemReport(i: { path: string; name: string | null }, findings: Finding[], failOn: FailOn): SystemReport {
  const mine = findings.filter((f) => f.path === i.path);
  return {
    name: i.name ?? i.path,
    manifest: i.path,
    folder: posix.dirname(i.path) === "." ? "" : posix.dirname(i.path),
    evaluated: false,
    facts: { stated: {}, implied: {}, defaulted: {}, unstated: [] },
    threats: [],
    controls: [],
    summary: summarise(mine, failOn),
  };
}
