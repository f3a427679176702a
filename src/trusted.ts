// Trusted configuration: when a base commit is known (a pull request's base, or `--base`), what
// controls the gate is read from that commit, not from the checkout the change wrote. A change
// may add risk acceptances, inline suppressions, baseline entries, ignore globs or pack edits;
// they are compared here with the base and, where new, marked pending (see verdict.ts).
import { isDeepStrictEqual } from "node:util";
import { parse } from "yaml";
import type { Octokit } from "./github/client.js";
import type { Diff } from "./github/diff.js";
import { parseBaseline, type BaselineEntry } from "./baseline.js";
import { parseSuppression } from "./inventory/scanners/code/suppressions.js";
import type { Observation } from "./inventory/types.js";
import type { RiskAcceptance, System } from "./manifest/types.js";
import { readBlobAtCommit, type Repo } from "./util/git.js";
import type { AcceptanceEntry, SuppressionEntry } from "./verdict.js";

/** Files of the gate's configuration larger than this are not read from the base. */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

/** Reads files as they are at the base commit. */
export interface BaseReader {
  /** The base commit (full SHA). */
  commit: string;
  /** How the base is read, for notes: "git" or "GitHub API". */
  via: string;
  /** The file's text at the base; null when it does not exist there. Throws when it cannot tell. */
  read(repoPath: string): Promise<string | null>;
}

export class BaseUnavailableError extends Error {}

/** The base from the local clone (the CLI's `--base`, or a checkout with history). */
export function gitBaseReader(repo: Repo, commit: string): BaseReader {
  return {
    commit,
    via: "git",
    read: readOnce((repoPath) => readBlobAtCommit(repo, commit, repoPath, MAX_CONFIG_BYTES).then((b) => (b === null ? null : b.toString("utf8")))),
  };
}

/** Each path is read from the base once per run (packs, manifests and suppressions may ask again). */
function readOnce(read: (repoPath: string) => Promise<string | null>): BaseReader["read"] {
  const cache = new Map<string, Promise<string | null>>();
  return (repoPath) => {
    let p = cache.get(repoPath);
    if (!p) cache.set(repoPath, (p = read(repoPath)));
    return p;
  };
}

/** The base from the REST API (`GET /repos/{owner}/{repo}/contents/{path}?ref=`), for shallow checkouts. */
export function apiBaseReader(octokit: Octokit, owner: string, repo: string, commit: string): BaseReader {
  const fetchOne = async (path: string): Promise<string | null> => {
    try {
      const r = await octokit.rest.repos.getContent({ owner, repo, path, ref: commit });
      const d = r.data as { type?: string; encoding?: string; content?: string; size?: number };
      if (Array.isArray(r.data) || d.type !== "file") return null;
      if ((d.size ?? 0) > MAX_CONFIG_BYTES) throw new BaseUnavailableError(`${path} at ${commit.slice(0, 12)} is larger than ${MAX_CONFIG_BYTES} bytes`);
      if (d.encoding !== "base64" || typeof d.content !== "string")
        throw new BaseUnavailableError(`${path} at ${commit.slice(0, 12)} came without its content`);
      return Buffer.from(d.content, "base64").toString("utf8");
    } catch (e) {
      if ((e as { status?: number }).status === 404) return null;
      throw e;
    }
  };
  return { commit, via: "GitHub API", read: readOnce(fetchOne) };
}

/** Tries each reader in turn: the first that can tell wins (a clone without the base falls back to the API). */
export function firstAvailable(readers: BaseReader[]): BaseReader {
  let chosen: BaseReader | null = null;
  return {
    commit: readers[0]!.commit,
    get via() {
      return chosen?.via ?? readers.map((r) => r.via).join(" or ");
    },
    async read(repoPath) {
      if (chosen) return chosen.read(repoPath);
      const errors: string[] = [];
      for (const r of readers) {
        try {
          const text = await r.read(repoPath);
          chosen = r;
          return text;
        } catch (e) {
          errors.push(`${r.via}: ${(e as Error).message}`);
        }
      }
      throw new BaseUnavailableError(`cannot read ${repoPath} at the base commit ${readers[0]!.commit.slice(0, 12)} (${errors.join("; ")})`);
    },
  };
}

/** The manifest as it is at the base (its parsed YAML value), or null when new or unreadable as YAML. */
async function baseManifest(base: BaseReader, repoPath: string): Promise<Record<string, unknown> | null> {
  const text = await base.read(repoPath);
  if (text === null) return null;
  try {
    const v = parse(text, { maxAliasCount: 0, uniqueKeys: false }) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Marks each head entry trusted when an equal entry exists at the base (each base entry vouches once). */
function matchEntries<T>(head: readonly T[], base: readonly unknown[]): boolean[] {
  const left = [...base];
  return head.map((h) => {
    const i = left.findIndex((b) => isDeepStrictEqual(JSON.parse(JSON.stringify(b)), JSON.parse(JSON.stringify(h))));
    if (i < 0) return false;
    left.splice(i, 1);
    return true;
  });
}

export interface SystemTrust {
  acceptances: AcceptanceEntry[];
  /** The manifest's `ignore` globs that also exist at the base. */
  trustedIgnores: string[];
  /** Globs the change adds. */
  pendingIgnores: string[];
}

/** Risk acceptances and ignore globs of one system, each marked trusted when the base has it too. */
export async function systemTrust(s: System, toRepoPath: (p: string) => string, base: BaseReader | null): Promise<SystemTrust> {
  const head = s.manifest.riskAcceptances ?? [];
  const ignores = s.manifest.ignore ?? [];
  const at = (i: number) => {
    const l = s.locate(`/riskAcceptances/${i}`);
    return { path: l.path, line: l.line };
  };
  if (!base) {
    return {
      acceptances: head.map((acceptance, index) => ({ system: s.manifest.name, index, acceptance, location: at(index), trusted: true })),
      trustedIgnores: ignores,
      pendingIgnores: [],
    };
  }
  const b = await baseManifest(base, toRepoPath(s.source.path));
  const baseAcceptances = Array.isArray(b?.riskAcceptances) ? (b!.riskAcceptances as RiskAcceptance[]) : [];
  const baseIgnores = Array.isArray(b?.ignore) ? (b!.ignore as unknown[]).filter((x): x is string => typeof x === "string") : [];
  const trusted = matchEntries(head, baseAcceptances);
  return {
    acceptances: head.map((acceptance, index) => ({ system: s.manifest.name, index, acceptance, location: at(index), trusted: trusted[index]! })),
    trustedIgnores: ignores.filter((g) => baseIgnores.includes(g)),
    pendingIgnores: ignores.filter((g) => !baseIgnores.includes(g)),
  };
}

/** The suppressions written in a file's text (read as the code scanner reads them), as "rules|reason" keys with their counts. */
function suppressionKeys(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [i, line] of text.split("\n").entries()) {
    const found = parseSuppression(line, i + 1, 1, false);
    if (!found) continue;
    const k = key(found.rules, found.reason);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

const key = (rules: string[], reason: string) => `${[...rules].sort().join(",")}|${reason}`;

/**
 * Inline suppressions (the scanners' `suppression` observations), each trusted when the base version
 * of its file holds the same suppression and the change touches neither it nor the lines it covers.
 */
export async function suppressionEntries(
  observations: readonly Observation[],
  toRepoPath: (p: string) => string,
  base: BaseReader | null,
  diff: Diff | null,
): Promise<SuppressionEntry[]> {
  const entries: Omit<SuppressionEntry, "trusted">[] = [];
  for (const o of observations) {
    if (o.kind !== "suppression") continue;
    const d = o.data as { rules?: string[]; lines?: number[]; reason?: string } | undefined;
    if (!d?.rules?.length || !d.lines?.length || !d.reason) continue;
    entries.push({ path: o.location.path, line: o.location.line, rules: d.rules, lines: d.lines, reason: d.reason });
  }
  if (!base) return entries.map((e) => ({ ...e, trusted: true }));
  const budget = new Map<string, Map<string, number>>();
  const out: SuppressionEntry[] = [];
  for (const e of entries) {
    let keys = budget.get(e.path);
    if (!keys) {
      const text = await base.read(toRepoPath(e.path));
      keys = text === null ? new Map() : suppressionKeys(text);
      budget.set(e.path, keys);
    }
    const k = key(e.rules, e.reason);
    const change = diff && !diff.incomplete ? diff.files.get(e.path) : undefined;
    const touched = diff === null || diff.incomplete ? false : !!change && (change.whole || [e.line, ...e.lines].some((l) => change.added.has(l)));
    const left = keys.get(k) ?? 0;
    const trusted = left > 0 && !touched;
    if (left > 0) keys.set(k, left - 1);
    out.push({ ...e, trusted });
  }
  return out;
}

/** A baseline file's entries as the base has them (an unreadable or foreign file has none). */
export function baselineAtBase(text: string | null): Map<string, BaselineEntry> {
  if (text === null) return new Map();
  try {
    return parseBaseline(text, "(base)");
  } catch {
    return new Map();
  }
}
