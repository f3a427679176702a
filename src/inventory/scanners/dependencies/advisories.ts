// Offline advisories for AI/ML PyPI packages (policies/advisories/ai-ml-advisories.json), matched
// by PEP 440 ordering through @renovatebot/pep440 — never by string comparison.
import { compare, valid } from "@renovatebot/pep440";
import { loadData } from "../../../util/data.js";

export interface AdvisoryRange {
  introduced: string;
  fixed?: string;
  last_affected?: string;
}

export interface Advisory {
  id: string;
  aliases: string[];
  summary: string;
  severity: "critical" | "high" | "medium" | "low" | "unknown";
  cvss: string | null;
  ranges: AdvisoryRange[];
  versions: string[];
  url: string;
}

export interface AdvisoryData {
  source: { repository: string; commit: string; date: string; generated: string };
  packages: Record<string, Advisory[]>;
}

let cached: AdvisoryData | undefined;
export function loadAdvisories(): AdvisoryData {
  cached ??= loadData<AdvisoryData>("policies/advisories/ai-ml-advisories.json");
  return cached;
}

/** A PEP 440 version without its `+local` tag; non-PEP 440 strings (`2.6.0-NA`) are cut at `-`. */
export function comparable(version: string): string | undefined {
  const noLocal = version.trim().split("+")[0]!;
  if (valid(noLocal)) return noLocal;
  const cut = noLocal.split("-")[0]!;
  return valid(cut) ? cut : undefined;
}

/** introduced <= v < fixed, or introduced <= v <= last_affected, or introduced <= v when open. */
export function inRange(version: string, r: AdvisoryRange): boolean {
  const v = comparable(version);
  if (!v) return false;
  if (r.introduced !== "0") {
    const lo = comparable(r.introduced);
    if (!lo || compare(v, lo) < 0) return false;
  }
  if (r.fixed !== undefined) {
    const hi = comparable(r.fixed);
    return !!hi && compare(v, hi) < 0;
  }
  if (r.last_affected !== undefined) {
    const hi = comparable(r.last_affected);
    return !!hi && compare(v, hi) <= 0;
  }
  return true;
}

export interface AdvisoryMatch {
  affected: Advisory[];
  /** Advisories for the package that carry neither ranges nor versions: "cannot determine". */
  undetermined: Advisory[];
}

export function matchAdvisories(name: string, version: string, data = loadAdvisories()): AdvisoryMatch {
  const list = data.packages[name] ?? [];
  const v = comparable(version);
  const affected: Advisory[] = [];
  const undetermined: Advisory[] = [];
  for (const a of list) {
    if (a.ranges.length === 0 && a.versions.length === 0) undetermined.push(a);
    else if (a.ranges.some((r) => inRange(version, r)) || a.versions.some((x) => x === version || (v !== undefined && comparable(x) === v))) affected.push(a);
  }
  return { affected, undetermined };
}

const SEVERITY_ORDER = ["unknown", "low", "medium", "high", "critical"] as const;
export const worstSeverity = (list: Advisory[]): Advisory["severity"] =>
  list.reduce<Advisory["severity"]>((w, a) => (SEVERITY_ORDER.indexOf(a.severity) > SEVERITY_ORDER.indexOf(w) ? a.severity : w), "unknown");

/**
 * The version that fixes every affected advisory that has a fix (the highest `fixed` among the
 * ranges containing the version), and the advisories with no fix at all.
 */
export function fixedVersion(version: string, affected: Advisory[]): { fixed?: string; unfixed: Advisory[] } {
  let best: string | undefined;
  const unfixed: Advisory[] = [];
  for (const a of affected) {
    const hit = a.ranges.find((r) => inRange(version, r));
    const fixed = hit?.fixed && comparable(hit.fixed);
    if (!fixed) {
      unfixed.push(a);
      continue;
    }
    if (!best || compare(fixed, best) > 0) best = fixed;
  }
  return best ? { fixed: best, unfixed } : { unfixed };
}
