// The dependency scanner: reads every dependency list once, then reports AI/ML libraries that are
// not pinned (where no lockfile pins them), pinned versions with a known advisory, installs from
// URLs or VCS without a pinned commit, and extra package indexes. Facts only; rules decide severity.
import { posix } from "node:path";
import type { Observation, RepoFile, ScanContext, ScanResult, Scanner } from "../../types.js";
import { redactText } from "../../../util/redact.js";
import { fixedVersion, loadAdvisories, matchAdvisories, worstSeverity, type Advisory, type AdvisoryData } from "./advisories.js";
import { formatFor, includedFormat, type Format } from "./formats.js";
import { isAiLibrary } from "./libraries.js";
import type { Dependency, ParsedFile } from "./model.js";
import { advisoriesForEveryAllowedVersion } from "./ranges.js";

const SCANNER = "dependencies";
/** Manifests larger than this are not dependency lists anyone writes by hand. */
const MAX_MANIFEST_BYTES = 2 * 1024 * 1024;
const MAX_LOCK_BYTES = 32 * 1024 * 1024;
const MAX_INCLUDE_DEPTH = 8;

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

export const dependencyScanner: Scanner = {
  meta: { id: SCANNER, description: "Python and npm dependency lists: unpinned AI/ML libraries, known advisories, URL/VCS installs, extra indexes" },
  async scan(ctx: ScanContext): Promise<ScanResult> {
    const result: ScanResult = { observations: [], unscanned: [] };
    const known = new Map(ctx.files.map((f) => [f.path, f] as const));
    const parsed = new Map<string, { format: Format; file: ParsedFile }>();

    const read = async (file: RepoFile, format: Format): Promise<string | undefined> => {
      const cap = format.lock ? MAX_LOCK_BYTES : MAX_MANIFEST_BYTES;
      if (file.size > cap) {
        result.unscanned.push({ path: file.path, scanner: SCANNER, reason: `dependency file is ${file.size} bytes, over the ${cap}-byte limit` });
        return undefined;
      }
      const buf = await ctx.readRange(file.path, 0, file.size);
      if (buf.includes(0)) {
        result.unscanned.push({ path: file.path, scanner: SCANNER, reason: "binary content (NUL bytes) in a dependency file" });
        malformed(result.observations, file.path, 1, 1, "binary content (NUL bytes) where a text dependency list was expected", true);
        return undefined;
      }
      return buf.toString("utf8").replace(/^\uFEFF/, "");
    };

    const visit = async (file: RepoFile, format: Format, depth: number): Promise<void> => {
      if (parsed.has(file.path)) return;
      const text = await read(file, format);
      if (text === undefined) return;
      let out: ParsedFile;
      try {
        out = format.parse(file.path, text);
      } catch (e) {
        // A parser bug must not stop the run: the file is unscanned, with the reason.
        result.unscanned.push({ path: file.path, scanner: SCANNER, reason: `could not parse: ${redactText(String((e as Error)?.message ?? e).split("\n")[0]!.slice(0, 200))}` });
        return;
      }
      parsed.set(file.path, { format, file: out });
      for (const p of out.problems) {
        malformed(result.observations, p.location.path, p.location.line, p.location.column, p.message, p.fatal);
        if (p.fatal) result.unscanned.push({ path: file.path, scanner: SCANNER, reason: p.message });
      }
      for (const inc of out.includes) {
        const target = known.get(inc.path);
        if (!target) {
          malformed(result.observations, inc.location.path, inc.location.line, inc.location.column, `included file "${inc.path}" is not in the repository`, false);
        } else if (depth >= MAX_INCLUDE_DEPTH) {
          malformed(result.observations, inc.location.path, inc.location.line, inc.location.column, `includes nest deeper than ${MAX_INCLUDE_DEPTH} levels`, false);
        } else {
          await visit(target, formatFor(target.path) ?? includedFormat(), depth + 1);
        }
      }
    };

    for (const file of ctx.files) {
      const format = formatFor(file.path);
      if (format) await visit(file, format, 0);
    }

    // What lockfiles, constraint files and exact requirements pin, per folder.
    const pinsByDir = new Map<string, Map<string, string>>();
    const pinKey = (d: Dependency) => `${d.ecosystem}:${d.name}`;
    const constraintFiles = new Set<string>();
    for (const { file } of parsed.values()) for (const inc of file.includes) if (inc.constraint) constraintFiles.add(inc.path);
    for (const [path, { file }] of parsed) {
      const dir = posix.dirname(path);
      for (const d of file.dependencies) {
        if (!d.exact && !(d.role === "lock")) continue;
        if (!pinsByDir.has(dir)) pinsByDir.set(dir, new Map());
        pinsByDir.get(dir)!.set(pinKey(d), d.exact ?? "");
      }
    }
    const pinnedNearby = (d: Dependency): boolean => ancestors(posix.dirname(d.location.path)).some((dir) => pinsByDir.get(dir)?.has(pinKey(d)));

    const facts: DependencyFacts = { files: [...parsed.keys()], pins: { pypi: Object.create(null) as DependencyFacts["pins"]["pypi"], npm: Object.create(null) as DependencyFacts["pins"]["pypi"] } };
    const advisories = loadAdvisories();
    const seenVulnerable = new Set<string>();
    for (const [path, { file }] of parsed) {
      for (const idx of file.indexes) {
        if (!idx.extra) continue;
        result.observations.push({
          scanner: SCANNER,
          kind: "dependency.extra-index",
          location: idx.location,
          message: `${idx.option} adds the package index ${idx.url}: a package name there can shadow the public one (dependency confusion)`,
          key: idx.url,
          data: { url: idx.url, option: idx.option },
        });
      }
      for (const d of file.dependencies) {
        const ai = isAiLibrary(d.ecosystem, d.name);
        const tracked = ai || (d.ecosystem === "pypi" && d.name in advisories.packages);
        if (d.exact && tracked) (facts.pins[d.ecosystem][d.name] ??= []).push({ version: d.exact, path, line: d.location.line });
        if (d.remote && !d.remote.pinned && d.role === "manifest") {
          result.observations.push({
            scanner: SCANNER,
            kind: "dependency.url-install",
            location: d.location,
            message: d.remote.vcs
              ? `${d.name} is installed from ${d.remote.url} without a pinned commit: whatever the branch or tag points to at install time is what runs`
              : `${d.name} is installed from the URL ${d.remote.url} without a hash: the file behind the URL can change`,
            key: `${d.name}:${d.remote.url}`,
            data: {
              ecosystem: d.ecosystem,
              package: d.name,
              url: d.remote.url,
              vcs: d.remote.vcs,
              aiLibrary: ai,
              missing: d.remote.vcs ? "a pinned commit" : "a hash",
              risk: d.remote.vcs ? "whatever the branch or tag points to at install time is what runs" : "the file behind the URL can change",
            },
          });
          continue;
        }
        // A range whose every version is affected (`torch<2.6`) is vulnerable, not merely unpinned.
        if (tracked && d.specifier && d.role === "manifest" && !d.hashed && !d.remote && !pinnedNearby(d) && !constraintFiles.has(path)) {
          const every = advisoriesForEveryAllowedVersion(d.name, d.specifier, advisories);
          if (every.affected.length) {
            result.observations.push(vulnerableRange(d, d.specifier, every, advisories));
            continue;
          }
        }
        if (ai && d.role === "manifest" && !d.exact && !d.hashed && !d.remote && !pinnedNearby(d) && !constraintFiles.has(path)) {
          result.observations.push({
            scanner: SCANNER,
            kind: "dependency.unpinned",
            location: d.location,
            message: `AI/ML library ${d.name} is not pinned (${d.spec}) and no lockfile pins it: each install may pull a different, possibly compromised, version`,
            key: d.name,
            data: { ecosystem: d.ecosystem, package: d.name, spec: d.spec },
          });
        }
        if (d.exact && d.ecosystem === "pypi") {
          const id = `${path}|${d.name}|${d.exact}`;
          if (seenVulnerable.has(id)) continue;
          seenVulnerable.add(id);
          const match = matchAdvisories(d.name, d.exact, advisories);
          if (match.affected.length === 0) continue;
          const { fixed, unfixed } = fixedVersion(d.exact, match.affected);
          const fixNote = fixed
            ? `fixed in ${fixed}${unfixed.length ? ` (${unfixed.length} with no fixed version yet: ${unfixed.slice(0, 3).map((a) => a.id).join(", ")})` : ""}`
            : "no fixed version yet";
          const severity = worstSeverity(match.affected);
          const ids = match.affected.map((a) => a.id);
          const cves = match.affected.flatMap((a) => a.aliases.filter((x) => x.startsWith("CVE-")));
          const phrases = advisoryPhrases(match.affected);
          result.observations.push({
            scanner: SCANNER,
            kind: "dependency.vulnerable",
            location: d.location,
            message: `${d.name} ${d.exact} has ${match.affected.length} known ${match.affected.length === 1 ? "advisory" : "advisories"} (${severity}): ${[...ids.slice(0, 5), ...(ids.length > 5 ? [`+${ids.length - 5} more`] : [])].join(", ")}${cves.length ? ` [${cves.slice(0, 5).join(", ")}${cves.length > 5 ? ", ..." : ""}]` : ""}; ${fixNote}`,
            key: `${d.name}@${d.exact}`,
            data: {
              ecosystem: d.ecosystem,
              package: d.name,
              version: d.exact,
              versions: `${d.name} ${d.exact}`,
              ...phrases,
              fix: fixNote,
              severity,
              fixed: fixed ?? null,
              advisories: match.affected.map((a) => ({ id: a.id, aliases: a.aliases, severity: a.severity, summary: a.summary, url: a.url, fixed: a.ranges.find((r) => r.fixed)?.fixed ?? null })),
              unfixed: unfixed.map((a) => a.id),
              undetermined: match.undetermined.map((a) => a.id),
              source: `${advisories.source.repository}@${advisories.source.commit.slice(0, 12)} (${advisories.source.date.slice(0, 10)})`,
            },
          });
        }
      }
    }
    result.facts = facts as unknown as Record<string, unknown>;
    return result;
  },
};

/** `torch<2.6`: every version the specifier allows has these advisories. */
function vulnerableRange(d: Dependency, specifier: string, every: { affected: Advisory[]; fixed?: string }, advisories: AdvisoryData): Observation {
  const severity = worstSeverity(every.affected);
  const ids = every.affected.map((a) => a.id);
  const cves = every.affected.flatMap((a) => a.aliases.filter((x) => x.startsWith("CVE-")));
  const n = every.affected.length;
  return {
    scanner: SCANNER,
    kind: "dependency.vulnerable",
    location: d.location,
    message: `every version ${d.spec} allows has ${n === 1 ? "a known advisory" : `${n} known advisories`} (${severity}): ${[...ids.slice(0, 5), ...(ids.length > 5 ? [`+${ids.length - 5} more`] : [])].join(", ")}${cves.length ? ` [${cves.slice(0, 5).join(", ")}${cves.length > 5 ? ", ..." : ""}]` : ""}; ${every.fixed ? `fixed in ${every.fixed}, which the specifier excludes` : "no fixed version yet"}`,
    key: `${d.name}${specifier}`,
    data: {
      ecosystem: d.ecosystem,
      package: d.name,
      version: null,
      allowed: specifier,
      versions: `every version ${d.spec} allows`,
      ...advisoryPhrases(every.affected),
      fix: every.fixed ? `fixed in ${every.fixed}, which the specifier excludes` : "no fixed version yet",
      severity,
      fixed: every.fixed ?? null,
      advisories: every.affected.map((a) => ({ id: a.id, aliases: a.aliases, severity: a.severity, summary: a.summary, url: a.url, fixed: a.ranges.find((r) => r.fixed)?.fixed ?? null })),
      unfixed: every.affected.filter((a) => !a.ranges.some((r) => r.fixed)).map((a) => a.id),
      undetermined: [],
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

function malformed(out: Observation[], path: string, line: number, column: number, message: string, fatal: boolean): void {
  out.push({ scanner: SCANNER, kind: "dependency.malformed", location: { path, line, column }, message: `${path}: ${message}`, key: `${message}`.slice(0, 200), data: { fatal, problem: message } });
}
