// The policy engine: for each system, every enabled rule whose `when` matches the system's analysis
// runs its check kind; results become findings carrying the rule's metadata.
import type { Analysis, Taxonomy } from "../exchange/types.js";
import { fingerprint } from "../findings/fingerprint.js";
import type { Finding } from "../findings/types.js";
import type { Inventory } from "../inventory/types.js";
import type { System } from "../manifest/types.js";
import { matchesAny } from "../util/glob.js";
import { checkKind } from "./checks/index.js";
import type { CheckContext, PolicyPack, Rule } from "./types.js";

export interface SystemEvaluation {
  system: System;
  analysis: Analysis;
  governedFiles: string[];
}

/** Why a rule did or did not run for a system, for `aigate explain` and the JSON report. */
export type RuleOutcome = "ran" | "disabled" | "control-not-applicable" | "when-not-met";

export function ruleApplies(rule: Rule, analysis: Analysis): RuleOutcome {
  if (rule.enabled === false) return "disabled";
  const when = rule.when ?? {};
  if (!when.always) {
    const c = analysis.controls.find((x) => x.id === rule.control);
    if (!c?.applies) return "control-not-applicable";
  }
  if (when.threats && !when.threats.some((id) => analysis.threats.find((t) => t.id === id)?.applies)) return "when-not-met";
  // An unstated fact matches: the analysis assumes the worst until the manifest says otherwise.
  if (when.facts && !Object.entries(when.facts).every(([k, v]) => analysis.facts[k] === undefined || analysis.facts[k] === v)) return "when-not-met";
  return "ran";
}

export function evaluate(
  evals: SystemEvaluation[],
  pack: PolicyPack,
  ctx: { taxonomy: Taxonomy; inventory: Inventory; today: string; folders: Set<string> },
): { findings: Finding[]; outcomes: Map<string, Map<string, RuleOutcome>> } {
  const findings: Finding[] = [];
  const outcomes = new Map<string, Map<string, RuleOutcome>>();
  const fileSet = new Map(ctx.inventory.files.map((f) => [f.path, f.size]));
  const folderHasContent = (folder: string) => ctx.inventory.files.some((f) => f.path.startsWith(folder + "/") && f.size > 0);

  for (const ev of evals) {
    const { system } = ev;
    const systemName = system.synthetic ? null : system.manifest.name;
    const perRule = new Map<string, RuleOutcome>();
    outcomes.set(system.source.path, perRule);
    const resolve = (p: string) => {
      const clean = p.replace(/\/+$/, "");
      if (clean.startsWith("/")) return clean.replace(/^\/+/, "");
      return system.folder ? `${system.folder}/${clean}` : clean;
    };
    const globMatches = (p: string) => ctx.inventory.files.filter((f) => matchesAny(f.path, [p]));
    const exists = (p: string) => fileSet.has(p) || ctx.folders.has(p) || (/[*?[{]/.test(p) && globMatches(p).length > 0);
    const isEmpty = (p: string) => {
      if (fileSet.has(p)) return fileSet.get(p) === 0;
      if (ctx.folders.has(p)) return !folderHasContent(p);
      return !globMatches(p).some((f) => f.size > 0);
    };
    for (const rule of pack.rules) {
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
        today: ctx.today,
        exists,
        isEmpty,
        resolve,
      };
      for (const r of kind.run(rule.check, cctx)) {
        if (rule.paths && !matchesAny(r.location.path, rule.paths)) continue;
        findings.push({
          ruleId: rule.id,
          title: rule.title,
          control: r.control ?? rule.control,
          threats: r.threats ?? rule.threats,
          severity: rule.severity,
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
      }
    }
  }
  return { findings, outcomes };
}
