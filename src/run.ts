// One run of aigate, shared by the CLI and the Action: walk, scan, load manifests and packs,
// analyse, evaluate, then the verdict stage (suppressions, acceptances, baseline, scope, fail-on).
// Returns the Report; never prints, never exits. When a base commit is known, the gate's own
// configuration is read from it (trusted.ts): what the change adds to it is pending.
import { existsSync } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { posix, relative, resolve, sep } from "node:path";
import { analyse } from "./exchange/analysis.js";
import { loadTaxonomy } from "./exchange/taxonomy.js";
import type { Analysis, Taxonomy } from "./exchange/types.js";
import { diagnosticFinding, type Diagnostic } from "./findings/diagnostics.js";
import { disambiguate } from "./findings/fingerprint.js";
import type { Finding } from "./findings/types.js";
import { bySeverity } from "./gate.js";
import type { Diff } from "./github/diff.js";
import { SCANNERS } from "./inventory/scanners/index.js";
import { cacheDirProblem } from "./inventory/cache.js";
import { POOL_MIN_TASKS, scanInventory } from "./inventory/scan.js";
import type { Inventory } from "./inventory/types.js";
import { isUnder, walkRepository, type WalkOptions, type WalkResult } from "./inventory/walk.js";
import { defaultThreads, prewarmScanWorker } from "./inventory/pool.js";
import { pathsOf, relativePaths } from "./inventory/file-index.js";
import { loadManifest, makeLocator } from "./manifest/load.js";
import type { System } from "./manifest/types.js";
import { evaluate, type RuleOutcome, type SystemEvaluation } from "./policy/engine.js";
import { repositoryView } from "./inventory/repository-view.js";
import { openQuestions } from "./init.js";
import { attachSnippets } from "./report/snippets.js";
import { loadPacks } from "./policy/load.js";
import type { PolicyPack } from "./policy/types.js";
import type { ControlReport, FailOn, PendingException, Report, SystemReport } from "./report/types.js";
import { baselineAtBase, BaseUnavailableError, suppressionEntries, systemTrust, type BaseReader } from "./trusted.js";
import { findRepository, readBlobAtCommit, type Repo } from "./util/git.js";
import { anyPathMatches, checkGlob, globTest, matchesAny, pathIndex } from "./util/glob.js";
import { redactText } from "./util/redact.js";
import { isInside, readRegularFile } from "./util/safe-fs.js";
import { decide, summarise, type AcceptanceEntry, type Scope } from "./verdict.js";
import { fixedSinceBaseline, readBaseline, type BaselineEntry } from "./baseline.js";
import { ConfigError } from "./errors.js";
import { VERSION } from "./version.js";
import { stripTrailing } from "./util/strip.js";
import { append } from "./util/append.js";
import { foldFindings } from "./findings/fold.js";
import { stageDone } from "./util/timing.js";

export const DEFAULT_MANIFEST_GLOB = "**/ai-system.{yaml,yml}";

export interface RunOptions {
  root: string;
  manifestGlob?: string;
  policyFiles?: string[];
  failOn?: FailOn;
  /** Today's date (YYYY-MM-DD); defaults to the current UTC date. */
  today?: string;
  /** Where relative policy and baseline paths are resolved (default: the process's working folder). */
  cwd?: string;
  /** Which findings can fail the gate: all, or only those on the lines `diff` adds. */
  scope?: Scope;
  /** Baseline file (written by `aigate baseline`): its findings are reported as baselined. */
  baseline?: string;
  /** The gate's configuration as it is at the base commit; without it, the checkout is trusted. */
  base?: BaseReader | null;
  /** The change under review, paths relative to `root`; null when unknown. */
  diff?: Diff | null;
  /** Notes the caller has about the change (e.g. why the diff is unknown). */
  notes?: string[];
  /**
   * Who of the trusted packs' `settings.exceptionApprovers` approved the change (the Action asks
   * the reviews API); when anyone did, the exceptions the change adds count.
   */
  approvals?: (approvers: string[]) => Promise<string[]>;
  /**
   * Compute the sha256 of every model file (for an AI-BOM). By default only the files whose
   * manifest entry declares a sha256 are hashed (their digest is verified); other artifacts have
   * sha256 null unless a Git LFS pointer carries it.
   */
  hashModels?: boolean;
  /**
   * Folder of the scan cache (outside the scanned folder): per-file scan results of earlier runs,
   * reused while the files are unchanged. No cache without it.
   */
  cacheDir?: string;
  /** Threads that scan model and source files (default: one per core). */
  threads?: number;
  /**
   * The walk of `root`, when the caller started it early (`walkRepository(root)` with its defaults):
   * it needs nothing the base or the configuration says, so it can run while git answers for those.
   */
  walk?: Promise<WalkResult>;
}

/** Largest policy pack read. */
const MAX_PACK_BYTES = 5 * 1024 * 1024;

export { ConfigError };

export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * A scan that will use a pool of threads starts its first worker while the walk runs: a full scan
 * (not `scope: changed`) without a cache folder that already holds results, once the walk lists as
 * many files as a pool is started for.
 */
export function prewarmFor(opts: { scope?: Scope; cacheDir?: string; threads?: number }): WalkOptions["onManyFiles"] {
  if (opts.scope === "changed" || (opts.cacheDir !== undefined && existsSync(opts.cacheDir)) || (opts.threads ?? defaultThreads()) < 2) return undefined;
  return { atLeast: POOL_MIN_TASKS, call: () => prewarmScanWorker(opts.threads) };
}

export async function run(opts: RunOptions): Promise<Report> {
  const root = opts.root;
  const st = await stat(root).catch(() => undefined);
  if (!st?.isDirectory()) throw new ConfigError(`not a folder: ${root}`);
  const today = opts.today ?? utcToday();
  const failOn = opts.failOn ?? "error";
  const cwd = opts.cwd ?? process.cwd();
  const base = opts.base ?? null;
  const globProblem = checkGlob(opts.manifestGlob ?? DEFAULT_MANIFEST_GLOB);
  if (globProblem) throw new ConfigError(`the manifest glob ${JSON.stringify(opts.manifestGlob)}: ${globProblem}`);
  // The walk's git listings run while the packs load (the walk depends on nothing they say).
  const walking = opts.walk ?? walkRepository(root, [], { onManyFiles: prewarmFor(opts) });
  walking.catch(() => undefined);
  const taxonomy = loadTaxonomy();
  const repo = await findRepository(root);
  const realRoot = await realpath(root);
  const prefix = repo ? relative(repo.top, realRoot).split(sep).join("/") : "";
  const toRepoPath = (p: string) => (prefix ? posix.join(prefix, p) : p);
  const pendingConfig: PendingException[] = [];
  const orBaseError = <T>(p: Promise<T>): Promise<T> =>
    p.catch((e: unknown) => {
      if (e instanceof BaseUnavailableError)
        throw new ConfigError(
          `${e.message}. The gate's configuration must be read from the base commit: fetch it (actions/checkout with fetch-depth: 0) or give the token contents: read.`,
        );
      throw e;
    });

  const pack = await orBaseError(loadPacks(taxonomy, opts.policyFiles ?? [], { cwd, read: packReader(repo, base, pendingConfig) }));

  const approvers = Array.isArray(pack.settings.exceptionApprovers) ? (pack.settings.exceptionApprovers as string[]) : [];
  const approvedBy = base && approvers.length && opts.approvals ? await opts.approvals(approvers) : null;

  stageDone("packs and configuration");
  const walk = await walking;
  stageDone("walk (what it had left)");
  const walkNotes = walk.gitError ? [`git could not list the repository's files (${walk.gitError}); the folders were read instead, without .gitignore.`] : [];

  const glob = opts.manifestGlob ?? DEFAULT_MANIFEST_GLOB;
  const isManifest = globTest(glob);
  const allPaths = pathsOf(walk.files);
  const manifestPaths = allPaths.filter((p) => isManifest(p));
  const diagnostics: Diagnostic[] = [];
  const systems: System[] = [];
  const invalid: { path: string; name: string | null }[] = [];
  const seenFolders = new Map<string, string>();
  for (const path of manifestPaths) {
    const folder = posix.dirname(path) === "." ? "" : posix.dirname(path);
    if (seenFolders.has(folder)) {
      diagnostics.push({
        id: "manifest-duplicate-folder",
        message: `${path} and ${seenFolders.get(folder)} are in the same folder; only ${seenFolders.get(folder)} was read`,
        location: { path, line: 1, column: 1 },
        key: path,
        system: null,
      });
      continue;
    }
    seenFolders.set(folder, path);
    const loaded = await loadManifest(root, path, taxonomy);
    append(diagnostics, loaded.diagnostics);
    if (loaded.system) {
      const dup = systems.find((s) => s.manifest.name === loaded.system!.manifest.name);
      if (dup) {
        diagnostics.push({
          id: "manifest-schema",
          message: `system name "${loaded.system.manifest.name}" is already used by ${dup.source.path}`,
          location: loaded.system.locate("/name"),
          key: "dup-name",
          system: loaded.system.manifest.name,
        });
        invalid.push({ path, name: loaded.name });
      } else systems.push(loaded.system);
    } else {
      invalid.push({ path, name: loaded.name });
      diagnostics.push({
        id: "manifest-not-evaluated",
        message: `system ${loaded.name ?? path} was not evaluated: its manifest has errors`,
        location: { path, line: 1, column: 1 },
        key: "not-evaluated",
        system: loaded.name,
      });
    }
  }
  if (manifestPaths.length === 0) {
    // Located at the checked folder itself ("."): the manifest it lacks is not a file that exists.
    diagnostics.push({
      id: "manifest-missing",
      message: `no AI system manifest matches ${glob}: the repository's AI artifacts are checked, but no system's threats and controls (run \`aigate init\` to write a starting ai-system.yaml)`,
      location: { path: ".", line: 1, column: 1 },
      key: glob,
      system: null,
    });
  }

  stageDone("manifests");
  // What each system's manifest may waive (acceptances, ignore globs), trusted from the base when there is one.
  const trust = new Map<string, Awaited<ReturnType<typeof systemTrust>>>();
  for (const s of systems) trust.set(s.source.path, await orBaseError(systemTrust(s, toRepoPath, base)));

  // Each manifest governs its folder, minus nested manifests' folders and its (trusted) `ignore` globs.
  const allFolders = [...seenFolders.keys()];
  const governedBy = new Map<string, readonly string[]>();
  const governed = new Set<string>();
  const pendingIgnored: { system: System; glob: string; files: string[] }[] = [];
  for (const s of systems) {
    s.excludedFolders = allFolders.filter((f) => f !== s.folder && isUnder(f, s.folder));
    const rel = (p: string) => (s.folder ? p.slice(s.folder.length + 1) : p);
    const t = trust.get(s.source.path)!;
    const inFolder = allPaths.filter((p) => isUnder(p, s.folder) && !s.excludedFolders.some((f) => isUnder(p, f)));
    // A system that governs every file shares the walk's list (and the indexes rules build of it).
    const files = t.trustedIgnores.length
      ? inFolder.filter((p) => !matchesAny(rel(p), t.trustedIgnores))
      : inFolder.length === allPaths.length
        ? allPaths
        : inFolder;
    for (const g of t.pendingIgnores) pendingIgnored.push({ system: s, glob: g, files: files.filter((p) => matchesAny(rel(p), [g])) });
    files.forEach((p) => governed.add(p));
    governedBy.set(s.source.path, files);
  }
  // The scanners run once the manifests are known: a model file whose entry declares a sha256 is hashed.
  const scanned = await scan(root, walk.files, pack, {
    hashAll: opts.hashModels === true,
    hashPaths: declaredDigestPaths(systems, prefix),
    cacheDir: opts.cacheDir,
    threads: opts.threads,
    scanOnly: changedScope(opts, systems, governedBy),
  });
  stageDone("scan");
  const inventory = scanned.inventory;
  for (const s of walk.skipped ?? [])
    inventory.unscanned.push({ path: s.path, scanner: "walk", reason: s.reason, ...(s.bounded ? { bounded: s.bounded } : {}) });
  const evals: SystemEvaluation[] = systems.map((s) => ({
    system: s,
    analysis: analyse(
      taxonomy,
      s.manifest.profile,
      (s.manifest.responsibilities ?? []).map((r) => ({ threats: r.threats ?? [], share: r.share, supplier: r.supplier })),
    ),
    governedFiles: governedBy.get(s.source.path)!,
  }));
  const ungoverned = allPaths.filter((p) => !governed.has(p));
  if (ungoverned.length) evals.push({ system: ungovernedSystem(), analysis: analyse(taxonomy, {}), governedFiles: ungoverned });

  const repository = await repositoryView(repo, prefix, systems, pack);
  const { findings, outcomes } = evaluate(evals, pack, { taxonomy, inventory, today, folders: walk.folders, repository });
  stageDone("policy evaluation");
  for (const s of systems) checkAcceptanceRules(s, pack, diagnostics);
  for (const s of systems) append(diagnostics, openQuestions(s));
  append(
    findings,
    diagnostics.map((d) => diagnosticFinding(d)),
  );
  // Identical problems stay distinct (the n-th occurrence gets its own fingerprint) before anything matches fingerprints.
  disambiguate(findings);
  // One masking pass for every sink: no credential, signature or token reaches an output.
  for (const f of findings) f.message = redactText(f.message);
  await attachSnippets(findings, root, { manifests: new Map(systems.map((s) => [s.source.path, s.source.text])), files: walk.files, inventory });
  for (const u of inventory.unscanned) u.reason = redactText(u.reason);
  for (const p of pendingIgnored) {
    const files = new Set(p.files);
    const loc = p.system.locate(`/ignore/${(p.system.manifest.ignore ?? []).indexOf(p.glob)}`);
    pendingConfig.push({
      kind: "ignore",
      path: loc.path,
      line: loc.line,
      system: p.system.manifest.name,
      description: `ignore glob ${JSON.stringify(p.glob)}`,
      covers: findings.filter((f) => files.has(f.path)).map((f) => f.fingerprint),
    });
  }

  stageDone("findings located and quoted");
  // The verdict stage: one place decides what can fail the gate.
  const acceptances: AcceptanceEntry[] = systems.flatMap((s) => trust.get(s.source.path)!.acceptances);
  const suppressions = await orBaseError(suppressionEntries(inventory.observations, toRepoPath, base, opts.diff ?? null));
  const baseline = opts.baseline ? await baselineInput(resolve(cwd, opts.baseline), opts.baseline, repo, base) : null;
  const decided = decide(findings, {
    failOn,
    today,
    taxonomy,
    scope: opts.scope ?? "all",
    diff: opts.diff ?? null,
    suppressions,
    acceptances,
    baseline,
    pendingConfig,
    pendingApprovedBy: approvedBy,
    baseKnown: base !== null,
  });
  stageDone("verdict");
  findings.sort(bySeverity);
  // What the baseline lists and nothing matched, from every finding; then the report's bounds.
  const fixed = baseline ? fixedSinceBaseline(findings, baseline.entries) : undefined;
  const listed = foldFindings(findings);

  const systemReports = [
    ...evals.filter((e) => !e.system.synthetic).map((e) => systemReport(e, listed, taxonomy, pack, outcomes.get(e.system.source.path))),
    ...invalid.map((i) => invalidSystemReport(i)),
  ];
  const report: Report = {
    reportVersion: "1",
    tool: { name: "aigate", version: VERSION },
    generatedAt: new Date().toISOString(),
    today,
    root,
    policy: { name: pack.name, version: pack.version, files: pack.files.map((f) => relativeToPackage(f)), rules: pack.rules.length },
    systems: systemReports,
    findings: listed,
    inventory: { files: walk.files.length, models: inventory.models, unscanned: inventory.unscanned },
    trust: { base: base?.commit ?? null, source: base ? `the base commit ${base.commit.slice(0, 12)} (${base.via})` : "the checkout" },
    pending: decided.pending,
    ...(baseline
      ? {
          baseline: {
            file: baseline.file,
            entries: baseline.trusted.size,
            pending: baseline.pending.size,
            fixed: fixed!,
          },
        }
      : {}),
    notes: [...(opts.notes ?? []), ...walkNotes, ...scanned.notes, ...decided.notes],
    summary: { findings: 0, open: 0, accepted: 0, bySeverity: { error: 0, warning: 0, note: 0 }, failOn, passed: false },
  };
  summarise(report);
  return report;
}

/**
 * Reads policy packs. With a base commit, a pack inside the repository is read as it is at the base;
 * one the change adds is not loaded, and edits to one are pending. Packs are regular files, never
 * FIFOs or symbolic links, and an in-repository pack never reaches outside the repository.
 */
function packReader(repo: Repo | null, base: BaseReader | null, pending: PendingException[]) {
  return async (file: string, from?: string): Promise<string | null> => {
    const inRepo = repo ? isInside(repo.top, file) : false;
    if (from && repo && isInside(repo.top, from) && !inRepo) throw new ConfigError(`${from} extends ${file}, which is outside the repository`);
    if (!base || !repo || !inRepo) return (await readRegularFile(file, MAX_PACK_BYTES)).toString("utf8");
    const repoPath = relative(repo.top, file).split(sep).join("/");
    const atBase = await base.read(repoPath);
    if (atBase === null) {
      const tracked = (await readBlobAtCommit(repo, "HEAD", repoPath, MAX_PACK_BYTES).catch(() => null)) !== null;
      if (!tracked) return (await readRegularFile(file, MAX_PACK_BYTES)).toString("utf8");
      pending.push({ kind: "policy-pack", path: repoPath, line: 1, system: null, description: `new policy pack ${repoPath} (not loaded)`, covers: [] });
      return null;
    }
    const now = await readFile(file, "utf8").catch(() => null);
    if (now !== atBase)
      pending.push({
        kind: "policy-pack",
        path: repoPath,
        line: 1,
        system: null,
        description: `edits to policy pack ${repoPath} (the base version applies)`,
        covers: [],
      });
    return atBase;
  };
}

/**
 * The baseline: the file as given, but with a base commit only the entries the base has are trusted,
 * with the base's text (a change cannot reword an entry it did not add).
 */
async function baselineInput(file: string, shown: string, repo: Repo | null, base: BaseReader | null) {
  const head = await readBaseline(file);
  if (!base || !repo || !isInside(repo.top, file)) return { file: shown, trusted: new Set(head.keys()), pending: new Set<string>(), entries: head };
  const atBase = baselineAtBase(await base.read(relative(repo.top, file).split(sep).join("/")));
  const entries = new Map<string, BaselineEntry>([...atBase].filter(([fp]) => head.has(fp)));
  return { file: shown, trusted: new Set(entries.keys()), pending: new Set([...head.keys()].filter((f) => !atBase.has(f))), entries };
}

function relativeToPackage(f: string): string {
  const i = f.lastIndexOf("/policies/builtin/");
  return i >= 0 ? "builtin:" + f.slice(i + "/policies/builtin/".length) : f;
}

/** The files and folders (relative to the root) whose manifest entry declares a sha256. */
function declaredDigestPaths(systems: System[], prefix: string): string[] {
  const out: string[] = [];
  for (const s of systems) {
    for (const m of s.manifest.models ?? []) {
      if (!m.path || !m.sha256) continue;
      const clean = stripTrailing(m.path, "/");
      const fromTop = clean.replace(/^\/+/, "");
      const rel = !clean.startsWith("/")
        ? posix.normalize(s.folder ? `${s.folder}/${clean}` : clean)
        : !prefix
          ? fromTop
          : fromTop === prefix
            ? ""
            : fromTop.startsWith(prefix + "/")
              ? fromTop.slice(prefix.length + 1)
              : null;
      if (rel !== null && !rel.startsWith("../")) out.push(rel === "." ? "" : rel);
    }
  }
  return out;
}

async function scan(
  root: string,
  files: Inventory["files"],
  pack: PolicyPack,
  o: { hashAll: boolean; hashPaths: string[]; cacheDir?: string; threads?: number; scanOnly?: (path: string) => boolean },
): Promise<{ inventory: Inventory; notes: string[] }> {
  if (o.cacheDir) {
    const problem = cacheDirProblem(o.cacheDir, root);
    if (problem) throw new ConfigError(problem);
  }
  return scanInventory(root, files, pack.settings, SCANNERS, {
    hash: { all: o.hashAll, paths: o.hashPaths },
    cacheDir: o.cacheDir,
    threads: o.threads,
    scanOnly: o.scanOnly,
  });
}

/**
 * Under `scope: changed` with a known diff: the files the change touches, and every file of a
 * system whose manifest it touches (that system's rules are evaluated again in full). Undefined
 * (scan everything) otherwise.
 */
function changedScope(opts: RunOptions, systems: System[], governedBy: Map<string, readonly string[]>): ((path: string) => boolean) | undefined {
  const diff = opts.diff;
  if (opts.scope !== "changed" || !diff || diff.incomplete) return undefined;
  const must = new Set(diff.files.keys());
  for (const s of systems) if (diff.files.has(s.source.path)) for (const p of governedBy.get(s.source.path) ?? []) must.add(p);
  return (path) => must.has(path);
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
      out.push({
        id: "manifest-reference",
        message: `risk acceptance names unknown rule "${ra.rule}"${near.length ? ` (did you mean ${near.map((x) => `"${x}"`).join(" or ")}?)` : ""}`,
        location: s.locate(`/riskAcceptances/${i}/rule`),
        key: `ra-rule:${ra.rule}`,
        system: s.manifest.name,
      });
    }
  });
}

/**
 * What is known about each control (see ControlStatus): verified only when a rule that ran found
 * evidence — the cited files of an implemented or partial claim exist and are not empty (the
 * `evidence` check), or, for an unclaimed control, the signal files of its `control` rule or the
 * documents a `files` rule requires were found — never because nothing was reported. A `control`
 * rule's finding ("applies but the manifest does not claim it", possibly folded into one summary)
 * makes a control not claimed, not failing; other rules' findings make it fail.
 */
function controlStatuses(
  analysis: Analysis,
  system: System,
  findings: Finding[],
  t: Taxonomy,
  pack: PolicyPack,
  ran: Map<string, RuleOutcome> | undefined,
  governed: readonly string[],
): ControlReport[] {
  const didRun = (id: string) => ran?.get(id) === "ran";
  const evidenceChecked = pack.rules.filter((r) => r.check.kind === "evidence" && r.check.assert === "exists" && didRun(r.id)).map((r) => r.id);
  const gapRules = new Set(pack.rules.filter((r) => r.check.kind === "control").map((r) => r.id));
  const governedRel = pathIndex(relativePaths(governed, system.folder));
  // The control check's own test, on the system's governed files (scope: repository is not re-checked here: not verified).
  const signalsFound = (signals: unknown, scope: unknown) =>
    scope !== "repository" && Array.isArray(signals) && signals.length > 0 && anyPathMatches(governedRel, signals as string[]);
  return analysis.controls.map((c) => {
    const mine = findings.filter((f) => f.system === system.manifest.name && f.control === c.id);
    // Baselined and pre-existing findings do not fail the gate, but the control is still failing.
    const failingOnes = mine.filter(
      (f) => !gapRules.has(f.ruleId) && (f.status === "open" || f.status === "baselined" || f.status === "pre-existing") && f.severity !== "note",
    );
    const claim = system.manifest.controls?.[c.id];
    let status: ControlReport["status"];
    let verifiedBy: string[] | undefined;
    if (!c.applies) status = "not-applicable";
    else if (failingOnes.length) status = "fail";
    else if (mine.some((f) => f.status === "accepted" || f.status === "suppressed")) status = "accepted";
    else if (c.owner === "supplier") status = "supplier";
    else if (claim && (claim.status === "implemented" || claim.status === "partial")) {
      const local = (claim.evidence ?? []).filter((e) => !/^https?:\/\//.test(e));
      const flagged = mine.some((f) => evidenceChecked.includes(f.ruleId));
      if (local.length && evidenceChecked.length && !flagged) {
        status = "verified";
        verifiedBy = evidenceChecked;
      } else status = "claimed";
    } else if (claim?.status === "not-applicable") status = "claimed";
    else if (claim)
      status = "not-claimed"; // planned: nothing is in place yet
    else {
      // Unclaimed: verified when its `control` rule's signal files are there, or (without such a
      // rule) a `files` rule that requires its documents ran and found them.
      const own = pack.rules.filter((r) => r.control === c.id && r.check.kind === "control" && didRun(r.id));
      const signalled = own.filter((r) => signalsFound(r.check.signals, r.check.scope));
      const documents = pack.rules.filter(
        (r) => r.control === c.id && r.check.kind === "files" && Array.isArray(r.check.require) && didRun(r.id) && !mine.some((f) => f.ruleId === r.id),
      );
      if (signalled.length || (!own.length && documents.length)) {
        status = "verified";
        verifiedBy = [...signalled, ...documents].map((r) => r.id);
      } else status = "not-claimed";
    }
    void t;
    return {
      id: c.id,
      title: c.title,
      link: c.link,
      status,
      claimed: claim?.status ?? null,
      because: c.because,
      findings: mine.length,
      ...(verifiedBy ? { verifiedBy } : {}),
    };
  });
}

const EMPTY_SUMMARY: SystemReport["summary"] = { errors: 0, warnings: 0, notes: 0, accepted: 0, passed: false };

function systemReport(e: SystemEvaluation, findings: Finding[], t: Taxonomy, pack: PolicyPack, ran: Map<string, RuleOutcome> | undefined): SystemReport {
  const a = e.analysis;
  const pick = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, a.facts[k]!]));
  return {
    name: e.system.manifest.name,
    manifest: e.system.source.path,
    folder: e.system.folder,
    evaluated: true,
    facts: { stated: a.stated, implied: pick(Object.keys(a.implied)), defaulted: pick(a.defaulted), unstated: a.unstated },
    threats: a.threats,
    controls: controlStatuses(a, e.system, findings, t, pack, ran, e.governedFiles),
    models: e.system.manifest.models?.length ?? 0,
    summary: { ...EMPTY_SUMMARY },
  };
}

function invalidSystemReport(i: { path: string; name: string | null }): SystemReport {
  return {
    name: i.name ?? i.path,
    manifest: i.path,
    folder: posix.dirname(i.path) === "." ? "" : posix.dirname(i.path),
    evaluated: false,
    facts: { stated: {}, implied: {}, defaulted: {}, unstated: [] },
    threats: [],
    controls: [],
    summary: { ...EMPTY_SUMMARY },
  };
}
