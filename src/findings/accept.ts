// Risk acceptances turn matching findings into "accepted": still reported, no longer failing.
// An expired acceptance accepts nothing (the `acceptances` check reports it).
import { threatWithDescendants } from "../exchange/taxonomy.js";
import type { Taxonomy } from "../exchange/types.js";
import type { RiskAcceptance } from "../manifest/types.js";
import { matchesAny } from "../util/glob.js";
import type { Finding } from "./types.js";

export function acceptanceMatches(ra: RiskAcceptance, f: Finding, t: Taxonomy): boolean {
  if (ra.rule && ra.rule !== f.ruleId) return false;
  if (ra.control && ra.control !== f.control) return false;
  if (ra.threat) {
    // Accepting a threat accepts the findings that exist only because of it: every threat the
    // finding guards against must be that threat or one below it.
    const family = threatWithDescendants(t, ra.threat);
    if (!f.threats.length || !f.threats.every((x) => family.includes(x))) return false;
  }
  if (ra.paths && !matchesAny(f.path, ra.paths)) return false;
  return true;
}

/** Marks findings of `system` matched by a current acceptance. Findings about acceptances themselves stay open. */
export function applyAcceptances(findings: Finding[], system: string, acceptances: RiskAcceptance[], today: string, t: Taxonomy): void {
  const current = acceptances.filter((ra) => ra.expires >= today);
  for (const f of findings) {
    if (f.system !== system || f.status !== "open" || f.ruleId.startsWith("risk-acceptance") || f.ruleId.startsWith("manifest-")) continue;
    const ra = current.find((a) => acceptanceMatches(a, f, t));
    if (ra) {
      f.status = "accepted";
      f.acceptedBy = `${ra.id ?? "risk acceptance"} (${ra.approver}, until ${ra.expires})`;
    }
  }
}
