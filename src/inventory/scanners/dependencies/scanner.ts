// The dependency scanner: reads every dependency list once (read.ts), then reports AI/ML libraries
// that are not pinned (where no lockfile pins them), pinned versions with a known advisory, installs
// from URLs or VCS without a pinned commit, and extra package indexes (observations.ts). Facts
// only; rules decide severity.
import { posix } from "node:path";
import type { Observation, ScanContext, ScanResult, Scanner } from "../../types.js";
import { loadAdvisories, matchAdvisories, type AdvisoryData } from "./advisories.js";
import { isAiLibrary } from "./libraries.js";
import type { Dependency } from "./model.js";
import { extraIndex, unpinned, urlInstall, vulnerablePin, vulnerableRange } from "./observations.js";
import { advisoriesForEveryAllowedVersion } from "./ranges.js";
import { readDependencyLists, SCANNER, type ParsedLists } from "./read.js";

export interface DependencyFacts {
  files: string[];
  /** Exact versions by ecosystem and name (AI/ML libraries and packages with advisories only). */
  pins: Record<"pypi" | "npm", Record<string, { version: string; path: string; line: number }[]>>;
}

const ancestors = (dir: string): string[] => {
  const out = [dir];
  while (dir !== "." && dir !== "") {
    dir = posix.dirname(dir);
    out.push(dir);
  }
  return out;
};

/** Whether something pins a dependency for the place it is declared: a lockfile, exact requirement or constraint file in its folder or above, or its list being a constraint file. */
function pinnedElsewhere(parsed: ParsedLists): (d: Dependency, listPath: string) => boolean {
  const pinsByDir = new Map<string, Set<string>>();
  const pinKey = (d: Dependency) => `${d.ecosystem}:${d.name}`;
  const constraintFiles = new Set<string>();
  for (const { file } of parsed.values()) for (const inc of file.includes) if (inc.constraint) constraintFiles.add(inc.path);
  for (const [path, { file }] of parsed) {
    const dir = posix.dirname(path);
    for (const d of file.dependencies) {
      if (!d.exact && !(d.role === "lock")) continue;
      if (!pinsByDir.has(dir)) pinsByDir.set(dir, new Set());
      pinsByDir.get(dir)!.add(pinKey(d));
    }
  }
  return (d, listPath) => constraintFiles.has(listPath) || ancestors(posix.dirname(d.location.path)).some((dir) => pinsByDir.get(dir)?.has(pinKey(d)));
}

export const dependencyScanner: Scanner = {
  meta: { id: SCANNER, description: "Python and npm dependency lists: unpinned AI/ML libraries, known advisories, URL/VCS installs, extra indexes" },
  async scan(ctx: ScanContext): Promise<ScanResult> {
    const result: ScanResult = { observations: [], unscanned: [] };
    const parsed = await readDependencyLists(ctx, result);
    const pinned = pinnedElsewhere(parsed);
    const facts: DependencyFacts = {
      files: [...parsed.keys()],
      pins: { pypi: Object.create(null) as DependencyFacts["pins"]["pypi"], npm: Object.create(null) as DependencyFacts["pins"]["pypi"] },
    };
    result.facts = facts as unknown as Record<string, unknown>;
    // The advisories are 1.3 MB of JSON: read only when there is a list to match them against.
    if (!parsed.size) return result;
    const advisories = loadAdvisories();
    const seenVulnerable = new Set<string>();
    for (const [path, { file }] of parsed) {
      for (const idx of file.indexes) if (idx.extra) result.observations.push(extraIndex(idx));
      for (const d of file.dependencies) {
        const ai = isAiLibrary(d.ecosystem, d.name);
        const tracked = ai || (d.ecosystem === "pypi" && d.name in advisories.packages);
        if (d.exact && tracked) (facts.pins[d.ecosystem][d.name] ??= []).push({ version: d.exact, path, line: d.location.line });
        const o = observe(d, path, ai, tracked, advisories, pinned, seenVulnerable);
        if (o) result.observations.push(o);
      }
    }
    return result;
  },
};

/** What one declared dependency is, if anything worth an observation (one at most). */
function observe(
  d: Dependency,
  listPath: string,
  ai: boolean,
  tracked: boolean,
  advisories: AdvisoryData,
  pinned: (d: Dependency, listPath: string) => boolean,
  seenVulnerable: Set<string>,
): Observation | undefined {
  if (d.remote && !d.remote.pinned && d.role === "manifest") return urlInstall({ ...d, remote: d.remote }, ai);
  const loose = d.role === "manifest" && !d.hashed && !d.remote && !pinned(d, listPath);
  // A range whose every version is affected (`torch<2.6`) is vulnerable, not merely unpinned.
  if (tracked && d.specifier && loose) {
    const every = advisoriesForEveryAllowedVersion(d.name, d.specifier, advisories);
    if (every.affected.length) return vulnerableRange(d, d.specifier, every, advisories);
  }
  if (ai && !d.exact && loose) return unpinned(d);
  if (d.exact && d.ecosystem === "pypi") {
    const id = `${listPath}|${d.name}|${d.exact}`;
    if (seenVulnerable.has(id)) return undefined;
    seenVulnerable.add(id);
    const match = matchAdvisories(d.name, d.exact, advisories);
    if (match.affected.length) return vulnerablePin({ ...d, exact: d.exact }, match.affected, match.undetermined, advisories);
  }
  return undefined;
}
