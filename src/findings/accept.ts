// Risk acceptances turn matching findings into "accepted": still reported, no longer failing.
// An expired acceptance accepts nothing (the `acceptances` check reports it).
//
// An acceptance names what it accepts: a rule, control or threat, narrowed by `paths`, exact
// `fingerprints` and subjects (`packages`, `advisories`, `models`). Every selector it names must
// match (AND across kinds); within a list any entry may match (OR), except `advisories`, which must
// name every advisory the finding reports: accepting PYSEC-A does not accept PYSEC-B published later.
//
// A broad acceptance (rule, control or threat alone, or with `paths` for a finding that has a
// package, advisory or model) keeps covering the findings it was written for, but never one the
// change under review adds: `transformers==4.36.0` added next to an accepted torch advisory stays open.
import { threatWithDescendants } from "../exchange/taxonomy.js";
import type { Taxonomy } from "../exchange/types.js";
import type { Location } from "../inventory/types.js";
import type { RiskAcceptance, System } from "../manifest/types.js";
import { matchesAny } from "../util/glob.js";
import type { Diagnostic } from "./diagnostics.js";
import type { Finding, FindingSubjects } from "./types.js";

/** Package names compare as PyPI normalises them (PEP 503): case, `-`, `_` and `.` runs ignored. */
export const packageKey = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, "-");
const lower = (s: string) => s.trim().toLowerCase();

/** True when the acceptance names exact findings or a subject, not only a rule, control or threat (and paths). */
export function namesSubjects(ra: RiskAcceptance): boolean {
  return !!(ra.fingerprints?.length || ra.packages?.length || ra.advisories?.length || ra.models?.length);
}

const hasSubjects = (f: Finding) => !!(f.subjects?.packages?.length || f.subjects?.advisories?.length || f.subjects?.models?.length);

/** Too broad to accept a finding the change adds: it names no fingerprint and no subject of the finding. */
export function isBroadFor(ra: RiskAcceptance, f: Finding): boolean {
  if (namesSubjects(ra)) return false;
  // `paths` narrows a finding that is only about a place (a committed secret, a file); a
  // dependency or model finding sits in a file that holds every other dependency or model too.
  return !ra.paths?.length || hasSubjects(f);
}

function scopeMatches(ra: RiskAcceptance, f: Finding, t: Taxonomy): boolean {
  if (ra.rule && ra.rule !== f.ruleId) return false;
  if (ra.control && ra.control !== f.control) return false;
  if (ra.threat) {
    // Accepting a threat accepts the findings that exist only because of it: every threat the
    // finding guards against must be that threat or one below it.
    const family = threatWithDescendants(t, ra.threat);
    if (!f.threats.length || !f.threats.every((x) => family.includes(x))) return false;
  }
  return true;
}

/** The advisories of `s` that `named` does not name (by id or alias). */
function unnamedAdvisories(named: string[], s: FindingSubjects | undefined): string[] {
  const want = new Set(named.map(lower));
  return (s?.advisories ?? []).filter((id) => !want.has(lower(id)) && !(s?.advisoryAliases?.[id] ?? []).some((a) => want.has(lower(a))));
}

type Miss = { on: "fingerprints" | "paths" | "packages" | "advisories" | "models"; why: string };

/** Which of the acceptance's selectors (paths, fingerprints, subjects) misses the finding, and why; null when all match. */
function selectorMiss(ra: RiskAcceptance, f: Finding): Miss | null {
  const s = f.subjects;
  if (ra.fingerprints?.length && !ra.fingerprints.map(lower).includes(f.fingerprint)) return { on: "fingerprints", why: "it names other findings" };
  if (ra.paths && !matchesAny(f.path, ra.paths)) return { on: "paths", why: "it names other paths" };
  if (ra.packages?.length) {
    const want = new Set(ra.packages.map(packageKey));
    const have = s?.packages ?? [];
    if (!have.some((p) => want.has(packageKey(p))))
      return { on: "packages", why: `it names packages ${ra.packages.join(", ")}; this finding is about ${have.length ? have.join(", ") : "no package"}` };
  }
  if (ra.advisories?.length) {
    if (!s?.advisories?.length) return { on: "advisories", why: "it names advisories; this finding reports none" };
    const missing = unnamedAdvisories(ra.advisories, s);
    if (missing.length) {
      const list = `${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` (+${missing.length - 5} more)` : ""}`;
      return { on: "advisories", why: `it does not name ${missing.length === 1 ? "advisory" : "advisories"} ${list}, which this finding reports` };
    }
  }
  if (ra.models?.length) {
    const want = new Set(ra.models.map(lower));
    const have = s?.models ?? [];
    if (!have.some((m) => want.has(lower(m))))
      return { on: "models", why: `it names models ${ra.models.join(", ")}; this finding is about ${have.length ? have.join(", ") : "no model"}` };
  }
  return null;
}

/** True when every selector the acceptance names matches the finding (expiry and newness aside). */
export function acceptanceMatches(ra: RiskAcceptance, f: Finding, t: Taxonomy): boolean {
  return scopeMatches(ra, f, t) && selectorMiss(ra, f) === null;
}

export interface AcceptanceOptions {
  /**
   * True for a finding the change under review introduces (e.g. on a line the diff adds). A broad
   * acceptance does not accept it. Without it every finding counts as existing.
   */
  isNew?: (f: Finding) => boolean;
}

export interface AcceptanceUse {
  /** Per acceptance, in the order given: it accepted at least one finding. */
  used: boolean[];
  /** Per acceptance: it matched at least one finding of the system, whatever that finding's status. */
  matched: boolean[];
  /** Current (unexpired) acceptances that match no finding: pass to `staleAcceptanceDiagnostics`. */
  stale: RiskAcceptance[];
}

const label = (ra: RiskAcceptance) => ra.id ?? `for ${ra.rule ?? ra.control ?? ra.threat ?? "fingerprints"}`;

function subjectHint(f: Finding): string {
  const s = f.subjects;
  const parts = [
    s?.packages?.length ? `packages: [${s.packages.join(", ")}]` : "",
    s?.advisories?.length ? `advisories: [${s.advisories.slice(0, 5).join(", ")}${s.advisories.length > 5 ? ", ..." : ""}]` : "",
    s?.models?.length ? `models: [${s.models[0]}]` : "",
  ].filter(Boolean);
  return `fingerprints: [${f.fingerprint}]${parts.length ? ` or ${parts.join(", ")}` : ""}`;
}

/**
 * Marks open findings of `system` that a current acceptance matches as accepted. Findings about
 * acceptances and manifests themselves stay open. A broad acceptance does not accept a finding
 * `opts.isNew` calls new; that finding stays open with a `note` saying so, as does one whose
 * subject a narrow acceptance for its rule does not name.
 */
export function applyAcceptances(
  findings: Finding[],
  system: string,
  acceptances: RiskAcceptance[],
  today: string,
  t: Taxonomy,
  opts: AcceptanceOptions = {},
): AcceptanceUse {
  const used = acceptances.map(() => false);
  const matched = acceptances.map(() => false);
  const current = acceptances.map((ra) => ra.expires >= today);
  for (const f of findings) {
    if (f.system !== system || f.ruleId.startsWith("risk-acceptance") || f.ruleId.startsWith("manifest-")) continue;
    const open = f.status === "open";
    let accepted = false;
    let tooBroad: RiskAcceptance | undefined;
    let missed: { ra: RiskAcceptance; why: string } | undefined;
    acceptances.forEach((ra, i) => {
      if (!current[i] || !scopeMatches(ra, f, t)) return;
      const miss = selectorMiss(ra, f);
      if (miss !== null) {
        // Worth a note: an acceptance of this finding's rule, control or threat for another subject.
        const forThisKind = !!(ra.rule || ra.control || ra.threat) && !ra.fingerprints?.length;
        if (forThisKind && miss.on !== "paths" && miss.on !== "fingerprints") missed ??= { ra, why: miss.why };
        return;
      }
      matched[i] = true;
      if (!open || accepted) return;
      if (opts.isNew?.(f) && isBroadFor(ra, f)) {
        tooBroad ??= ra;
        return;
      }
      accepted = true;
      used[i] = true;
      f.status = "accepted";
      f.acceptedBy = `${ra.id ?? "risk acceptance"} (${ra.approver}, until ${ra.expires})`;
    });
    if (!open || accepted) continue;
    if (tooBroad)
      f.note = `risk acceptance ${label(tooBroad)} is too broad to cover a finding this change adds: name its fingerprint or subject (${subjectHint(f)})`;
    else if (missed) f.note = `risk acceptance ${label(missed.ra)} does not cover this finding: ${missed.why}`;
  }
  const stale = acceptances.filter((_, i) => current[i] && !matched[i]);
  return { used, matched, stale };
}

/** Where `ra` sits in the system's manifest: the same entry, an equal one, or one with its id. */
function indexIn(system: System, ra: RiskAcceptance): number {
  const list = system.manifest.riskAcceptances ?? [];
  let i = list.indexOf(ra);
  if (i < 0) i = list.findIndex((x) => JSON.stringify(x) === JSON.stringify(ra));
  if (i < 0 && ra.id) i = list.findIndex((x) => x.id === ra.id);
  return i;
}

/**
 * The `risk-acceptance-stale` diagnostic for one current acceptance that matched no finding, at
 * `location` (its entry in the manifest); `index` names an acceptance without an id.
 */
export function staleAcceptanceDiagnostic(ra: RiskAcceptance, system: string, location: Location, index?: number): Diagnostic {
  const target = ra.rule ? `rule ${ra.rule}` : ra.control ? `control ${ra.control}` : ra.threat ? `threat ${ra.threat}` : "";
  const selectors = [
    ra.fingerprints?.length ? `fingerprints ${ra.fingerprints.join(", ")}` : "",
    ra.packages?.length ? `packages ${ra.packages.join(", ")}` : "",
    ra.advisories?.length ? `advisories ${ra.advisories.join(", ")}` : "",
    ra.models?.length ? `models ${ra.models.join(", ")}` : "",
    ra.paths?.length ? `paths ${ra.paths.join(", ")}` : "",
  ].filter(Boolean);
  const what = [target, ...selectors].filter(Boolean).join("; ");
  const name = ra.id ?? (index !== undefined && index >= 0 ? `riskAcceptances[${index}]` : "risk acceptance");
  return {
    id: "risk-acceptance-stale",
    message: `risk acceptance ${name} (${what}) matches no finding: remove it, or correct what it names`,
    location: { path: location.path, line: location.line, column: location.column },
    key: `stale:${ra.id ?? JSON.stringify([ra.rule, ra.control, ra.threat, ra.fingerprints, ra.packages, ra.advisories, ra.models, ra.paths])}`,
    system,
  };
}

/**
 * `risk-acceptance-stale` diagnostics for current acceptances that matched no finding (the `stale`
 * of `applyAcceptances`), located at the entry in the system's manifest. Turn each into a finding
 * with `diagnosticFinding`.
 */
export function staleAcceptanceDiagnostics(system: System, stale: readonly RiskAcceptance[]): Diagnostic[] {
  return stale.map((ra) => {
    const i = indexIn(system, ra);
    return staleAcceptanceDiagnostic(ra, system.manifest.name, system.locate(i >= 0 ? `/riskAcceptances/${i}` : "/riskAcceptances"), i);
  });
}
