// The dependency scanner's observations, one builder per kind: what a rule's message template and
// the JSON report read. Facts only; rules decide severity.
import type { Observation } from "../../types.js";
import { fixedVersion, worstSeverity, type Advisory, type AdvisoryData } from "./advisories.js";
import type { Dependency } from "./model.js";
import type { ParsedFile } from "./model.js";
import { SCANNER } from "./read.js";

/** `--extra-index-url` and its kin: a second index can shadow a public name. */
export function extraIndex(idx: ParsedFile["indexes"][number]): Observation {
  return {
    scanner: SCANNER,
    kind: "dependency.extra-index",
    location: idx.location,
    message: `${idx.option} adds the package index ${idx.url}: a package name there can shadow the public one (dependency confusion)`,
    key: idx.url,
    data: { url: idx.url, option: idx.option },
  };
}

/** A URL or VCS install without a pinned commit or hash. */
export function urlInstall(d: Dependency & { remote: NonNullable<Dependency["remote"]> }, aiLibrary: boolean): Observation {
  const vcs = d.remote.vcs;
  const risk = vcs ? "whatever the branch or tag points to at install time is what runs" : "the file behind the URL can change";
  return {
    scanner: SCANNER,
    kind: "dependency.url-install",
    location: d.location,
    message: vcs
      ? `${d.name} is installed from ${d.remote.url} without a pinned commit: ${risk}`
      : `${d.name} is installed from the URL ${d.remote.url} without a hash: ${risk}`,
    key: `${d.name}:${d.remote.url}`,
    data: { ecosystem: d.ecosystem, package: d.name, url: d.remote.url, vcs, aiLibrary, missing: vcs ? "a pinned commit" : "a hash", risk },
  };
}

/** An AI/ML library no lockfile, constraint or exact requirement pins. */
export function unpinned(d: Dependency): Observation {
  return {
    scanner: SCANNER,
    kind: "dependency.unpinned",
    location: d.location,
    message: `AI/ML library ${d.name} is not pinned (${d.spec}) and no lockfile pins it: each install may pull a different, possibly compromised, version`,
    key: d.name,
    data: { ecosystem: d.ecosystem, package: d.name, spec: d.spec },
  };
}

/** A pinned version with known advisories. */
export function vulnerablePin(d: Dependency & { exact: string }, affected: Advisory[], undetermined: Advisory[], advisories: AdvisoryData): Observation {
  const { fixed, unfixed } = fixedVersion(d.exact, affected);
  const fix = fixed
    ? `fixed in ${fixed}${
        unfixed.length
          ? ` (${unfixed.length} with no fixed version yet: ${unfixed
              .slice(0, 3)
              .map((a) => a.id)
              .join(", ")})`
          : ""
      }`
    : "no fixed version yet";
  const n = affected.length;
  return vulnerable(d, affected, advisories, {
    message: `${d.name} ${d.exact} has ${n} known ${n === 1 ? "advisory" : "advisories"} (${worstSeverity(affected)}): ${advisoryPhrases(affected).ids}; ${fix}`,
    key: `${d.name}@${d.exact}`,
    version: d.exact,
    versions: `${d.name} ${d.exact}`,
    fix,
    fixed: fixed ?? null,
    unfixed: unfixed.map((a) => a.id),
    undetermined: undetermined.map((a) => a.id),
  });
}

/** `torch<2.6`: every version the specifier allows has these advisories. */
export function vulnerableRange(d: Dependency, specifier: string, every: { affected: Advisory[]; fixed?: string }, advisories: AdvisoryData): Observation {
  const n = every.affected.length;
  const fix = every.fixed ? `fixed in ${every.fixed}, which the specifier excludes` : "no fixed version yet";
  return vulnerable(d, every.affected, advisories, {
    message: `every version ${d.spec} allows has ${n === 1 ? "a known advisory" : `${n} known advisories`} (${worstSeverity(every.affected)}): ${advisoryPhrases(every.affected).ids}; ${fix}`,
    key: `${d.name}${specifier}`,
    version: null,
    allowed: specifier,
    versions: `every version ${d.spec} allows`,
    fix,
    fixed: every.fixed ?? null,
    unfixed: every.affected.filter((a) => !a.ranges.some((r) => r.fixed)).map((a) => a.id),
    undetermined: [],
  });
}

interface VulnerableShape {
  message: string;
  key: string;
  version: string | null;
  allowed?: string;
  versions: string;
  fix: string;
  fixed: string | null;
  unfixed: string[];
  undetermined: string[];
}

/** The one `dependency.vulnerable` shape both a pin and a range fill. */
function vulnerable(d: Dependency, affected: Advisory[], advisories: AdvisoryData, s: VulnerableShape): Observation {
  return {
    scanner: SCANNER,
    kind: "dependency.vulnerable",
    location: d.location,
    message: s.message,
    key: s.key,
    data: {
      ecosystem: d.ecosystem,
      package: d.name,
      version: s.version,
      ...(s.allowed !== undefined ? { allowed: s.allowed } : {}),
      versions: s.versions,
      ...advisoryPhrases(affected),
      fix: s.fix,
      severity: worstSeverity(affected),
      fixed: s.fixed,
      advisories: affected.map((a) => ({
        id: a.id,
        aliases: a.aliases,
        severity: a.severity,
        summary: a.summary,
        url: a.url,
        fixed: a.ranges.find((r) => r.fixed)?.fixed ?? null,
      })),
      unfixed: s.unfixed,
      undetermined: s.undetermined,
      source: `${advisories.source.repository}@${advisories.source.commit.slice(0, 12)} (${advisories.source.date.slice(0, 10)})`,
    },
  };
}

/** How many advisories, and which (ids, then CVE aliases), as a message shows them. */
function advisoryPhrases(affected: Advisory[]): { found: string; ids: string } {
  const ids = affected.map((a) => a.id);
  const cves = affected.flatMap((a) => a.aliases.filter((x) => x.startsWith("CVE-")));
  return {
    found: affected.length === 1 ? "a known advisory" : `${affected.length} known advisories`,
    ids: `${[...ids.slice(0, 5), ...(ids.length > 5 ? [`+${ids.length - 5} more`] : [])].join(", ")}${cves.length ? ` [${cves.slice(0, 5).join(", ")}${cves.length > 5 ? ", ..." : ""}]` : ""}`,
  };
}
