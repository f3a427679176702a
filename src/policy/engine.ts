// The policy engine: for each system, every enabled rule whose `when` matches the system's analysis
// runs its check kind; results become findings carrying the rule's metadata.
import { posix } from "node:path";
import { refsFor, refsMatch, resolveSelector, type StandardSelector } from "../crosswalk/index.js";
import type { Analysis, Taxonomy } from "../exchange/types.js";
import { fingerprint } from "../findings/fingerprint.js";
import type { Finding, FindingSubjects } from "../findings/types.js";
import { filesUnder, pathsOf } from "../inventory/file-index.js";
import type { Inventory, Location, Observation } from "../inventory/types.js";
import type { System } from "../manifest/types.js";
import { anyPathMatches, hasMagic, matchesAny, matchGlob, matchingPaths, pathIndex } from "../util/glob.js";
import { checkKind } from "./checks/index.js";
import type { CheckContext, CheckResult, PolicyPack, Rule } from "./types.js";
import { stripTrailing } from "../util/strip.js";

export interface SystemEvaluation {
  system: System;
  analysis: Analysis;
  governedFiles: readonly string[];
}

/** Why a rule did or did not run for a system, for `aigate explain` and the JSON report. */
export type RuleOutcome = "ran" | "disabled" | "control-not-applicable" | "when-not-met";

/** Whether a rule's references (its control and threats in the crosswalk) include one of the selectors (the pack loader checked them). */
function ruleMatchesStandards(rule: Rule, written: readonly string[]): boolean {
  const selectors = written.map((w) => resolveSelector(w, { itemAllowed: true })).filter((x): x is StandardSelector => !("error" in x));
  return refsMatch(refsFor(rule.control, rule.threats), selectors);
}

export function ruleApplies(rule: Rule, analysis: Analysis): RuleOutcome {
  if (rule.enabled === false) return "disabled";
  const when = rule.when ?? {};
  if (!when.always) {
    const c = analysis.controls.find((x) => x.id === rule.control);
    if (!c?.applies) return "control-not-applicable";
  }
  if (when.standards && !ruleMatchesStandards(rule, when.standards)) return "when-not-met";
  if (when.threats && !when.threats.some((id) => analysis.threats.find((t) => t.id === id)?.applies)) return "when-not-met";
  // An unstated fact matches: the analysis assumes the worst until the manifest says otherwise.
  if (when.facts && !Object.entries(when.facts).every(([k, v]) => analysis.facts[k] === undefined || analysis.facts[k] === v)) return "when-not-met";
  return "ran";
}

/**
 * The repository around the checked folder, so that a manifest path means the same file whichever
 * folder aigate is pointed at: `/` is the repository's top level (git's, else the checked folder).
 */
export interface RepositoryView {
  /** The checked folder relative to the repository's top level (POSIX; "" when it is the top). */
  prefix: string;
  /** Files of the repository outside the checked folder (repository-relative), as the walk from the top would list them. */
  outsideFiles: readonly string[];
  /** Sizes of the outside files that manifests cite, by repository-relative path. */
  outsideSizes: ReadonlyMap<string, number>;
}

/**
 * A manifest path as a path relative to the checked folder: relative to the manifest's folder, or
 * to the repository's top level with a leading `/`. A path outside the checked folder starts with
 * `../` (only the repository view can answer for it).
 */
export function resolveManifestPath(p: string, systemFolder: string, prefix: string): string {
  const clean = stripTrailing(p, "/");
  if (!clean.startsWith("/")) return systemFolder ? `${systemFolder}/${clean}` : clean;
  const fromTop = clean.replace(/^\/+/, "");
  if (!prefix) return fromTop;
  if (fromTop === prefix) return "";
  if (fromTop.startsWith(prefix + "/")) return fromTop.slice(prefix.length + 1);
  return `${"../".repeat(prefix.split("/").length)}${fromTop}`;
}

export function evaluate(
  evals: SystemEvaluation[],
  pack: PolicyPack,
  ctx: { taxonomy: Taxonomy; inventory: Inventory; today: string; folders: Set<string>; repository?: RepositoryView },
): { findings: Finding[]; outcomes: Map<string, Map<string, RuleOutcome>> } {
  const findings: Finding[] = [];
  const outcomes = new Map<string, Map<string, RuleOutcome>>();
  const fileSet = new Map(ctx.inventory.files.map((f) => [f.path, f.size]));
  const folderHasContent = (folder: string) => filesUnder(ctx.inventory.files, folder).some((f) => f.size > 0);
  const view = ctx.repository ?? { prefix: "", outsideFiles: [], outsideSizes: new Map<string, number>() };
  // A resolved path is anchored: a glob without `/` is a name in that folder, never in any folder.
  const paths = pathIndex(pathsOf(ctx.inventory.files));
  const globMatches = (p: string) => matchingPaths(paths, [p], { matchBase: false }).map((i) => ctx.inventory.files[i]!);
  // Paths outside the checked folder (`../...`), answered from the repository view in repository-relative terms.
  const repoPath = (p: string) => posix.normalize(posix.join(view.prefix, p));
  const isOutside = (p: string) => p === ".." || p.startsWith("../");
  const outsideMatches = (p: string): string[] => {
    const rp = repoPath(p);
    if (rp.startsWith("..")) return [];
    const inside = view.prefix ? ctx.inventory.files.map((f) => `${view.prefix}/${f.path}`) : [];
    const all = [...inside, ...view.outsideFiles];
    if (hasMagic(rp)) return all.filter((f) => matchGlob(f, rp));
    return all.filter((f) => f === rp || f.startsWith(rp + "/"));
  };
  const sizeOf = (repoFile: string) =>
    view.prefix && repoFile.startsWith(view.prefix + "/") ? fileSet.get(repoFile.slice(view.prefix.length + 1)) : view.outsideSizes.get(repoFile);
  const observationsAt = new Map<Location, Observation[]>();
  for (const o of ctx.inventory.observations) {
    const here = observationsAt.get(o.location);
    if (here) here.push(o);
    else observationsAt.set(o.location, [o]);
  }
  const modelFiles = new Set(ctx.inventory.models.map((m) => m.path));

  for (const ev of evals) {
    const { system } = ev;
    const systemName = system.synthetic ? null : system.manifest.name;
    const perRule = new Map<string, RuleOutcome>();
    outcomes.set(system.source.path, perRule);
    const resolve = (p: string) => resolveManifestPath(p, system.folder, view.prefix);
    const exists = (p: string) => {
      if (isOutside(p)) return outsideMatches(p).length > 0;
      return p === "" || fileSet.has(p) || ctx.folders.has(p) || (hasMagic(p) && anyPathMatches(paths, [p], { matchBase: false }));
    };
    const isEmpty = (p: string) => {
      if (isOutside(p)) return !outsideMatches(p).some((f) => (sizeOf(f) ?? 0) > 0);
      if (fileSet.has(p)) return fileSet.get(p) === 0;
      if (p === "") return !ctx.inventory.files.some((f) => f.size > 0);
      if (ctx.folders.has(p)) return !folderHasContent(p);
      return !globMatches(p).some((f) => f.size > 0);
    };
    const systemStart = findings.length;
    const governed = new Set(ev.governedFiles);
    for (const rule of summariesLast(pack.rules)) {
      const outcome = ruleApplies(rule, ev.analysis);
      perRule.set(rule.id, outcome);
      if (outcome !== "ran") continue;
      const kind = checkKind(rule.check.kind);
      if (!kind) throw new Error(`aigate: rule ${rule.id} uses unknown check kind ${rule.check.kind}`);
      const cctx: CheckContext = {
        rule,
        system,
        analysis: ev.analysis,
        taxonomy: ctx.taxonomy,
        inventory: ctx.inventory,
        governedFiles: ev.governedFiles,
        governed,
        fileSize: (p: string) => fileSet.get(p),
        today: ctx.today,
        exists,
        isEmpty,
        resolve,
        ...(kind.meta.phase === "summary" && { findings: findings.slice(systemStart), rules: pack.rules }),
      };
      for (const r of kind.run(rule.check, cctx)) {
        if (r.replaces?.length) {
          // A summary stands for these findings: they are reported once, as part of it.
          const gone = new Set(r.replaces);
          for (let i = findings.length - 1; i >= systemStart; i--) if (gone.has(findings[i]!.fingerprint)) findings.splice(i, 1);
          if (r.onlyReplaces) continue;
        }
        if (rule.paths && !matchesAny(r.location.path, rule.paths)) continue;
        findings.push({
          ruleId: rule.id,
          title: rule.title,
          control: r.control ?? rule.control,
          threats: r.threats ?? rule.threats,
          severity: r.severity ?? rule.severity,
          status: "open",
          message: r.message ?? rule.message,
          path: r.location.path,
          line: r.location.line,
          column: r.location.column,
          ...(r.location.endLine !== undefined && { endLine: r.location.endLine, endColumn: r.location.endColumn }),
          fingerprint: fingerprint({ ruleId: rule.id, system: systemName, path: r.location.path, key: r.key }),
          system: systemName,
          remediation: rule.remediation,
          link: rule.link,
        });
        const subjects = subjectsOf(r, system, resolve, observationsAt, modelFiles);
        if (subjects) findings[findings.length - 1]!.subjects = subjects;
      }
    }
  }
  return { findings, outcomes };
}

/** Rules in pack order, those of `summary` check kinds last (they read the other rules' findings). */
function summariesLast(rules: readonly Rule[]): Rule[] {
  const isSummary = (r: Rule) => checkKind(r.check.kind)?.meta.phase === "summary";
  return [...rules.filter((r) => !isSummary(r)), ...rules.filter(isSummary)];
}

/** The observation a result reports: the one whose location it carries (the `observation` kind passes it on) and whose key it uses. */
function observationOf(r: CheckResult, observationsAt: Map<Location, Observation[]>): Observation | undefined {
  const here = observationsAt.get(r.location) ?? [];
  return here.find((o) => r.key === `${o.kind}:${o.key}`) ?? (here.length === 1 ? here[0] : undefined);
}

/**
 * What a result is about, from the evidence behind it: a dependency observation's package and
 * advisories, the model a model file or a hub download is, the models[] entry a manifest location
 * sits in. A check may also give `subjects` on its result.
 */
function subjectsOf(
  r: CheckResult,
  system: System,
  resolve: (p: string) => string,
  observationsAt: Map<Location, Observation[]>,
  modelFiles: Set<string>,
): FindingSubjects | undefined {
  const given = (r as CheckResult & { subjects?: FindingSubjects }).subjects;
  const s: FindingSubjects = given ? structuredClone(given) : {};
  const add = (kind: "packages" | "advisories" | "models", v: unknown) => {
    if (typeof v !== "string" || !v) return;
    const list = (s[kind] ??= []);
    if (!list.includes(v)) list.push(v);
  };
  const data = observationOf(r, observationsAt)?.data;
  if (data) {
    add("packages", data.package);
    if (Array.isArray(data.advisories)) {
      for (const a of data.advisories as { id?: unknown; aliases?: unknown }[]) {
        if (typeof a?.id !== "string") continue;
        add("advisories", a.id);
        const aliases = Array.isArray(a.aliases) ? a.aliases.filter((x): x is string => typeof x === "string") : [];
        if (aliases.length) (s.advisoryAliases ??= {})[a.id] = aliases;
      }
    }
    add("models", data.model);
  }
  const models = system.synthetic ? [] : (system.manifest.models ?? []);
  if (modelFiles.has(r.location.path)) {
    // A model file: the entry that declares it (its path, or the folder it is in), then its path.
    const entry = models.find((m) => {
      if (!m.path) return false;
      const declared = posix.normalize(resolve(m.path)).replace(/\/$/, "").replace(/^\.$/, "");
      return declared === "" || r.location.path === declared || r.location.path.startsWith(declared + "/");
    });
    if (entry) add("models", entry.name);
    add("models", r.location.path);
  } else if (!system.synthetic && r.location.path === system.source.path) {
    // A manifest location inside a models[] entry is about that model.
    const at = (l: { line: number; column: number }) => [l.line, l.column] as const;
    const before = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
    models.forEach((m, i) => {
      const l = system.locate(`/models/${i}`);
      if (l.endLine === undefined || l.endColumn === undefined) return;
      if (before(at(l), at(r.location)) && before(at(r.location), [l.endLine, l.endColumn])) {
        add("models", m.name);
        if (m.path) add("models", posix.normalize(resolve(m.path)));
      }
    });
  }
  return s.packages || s.advisories || s.models ? s : undefined;
}
