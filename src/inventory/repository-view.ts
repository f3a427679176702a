// The repository around the checked folder. A manifest path with a leading `/` means the
// repository's top level (git's, else the checked folder), and a rule may look "anywhere in the
// repository"; when aigate checks a sub-folder, those places can lie outside what the walk saw.
// This lists just them, with git (what git tracks plus untracked files no ignore rule matches,
// as the walk from the top would), so checking a sub-folder gives the same answer for its systems
// as checking the whole repository.
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import ignore from "ignore";
import type { System } from "../manifest/types.js";
import type { RepositoryView } from "../policy/engine.js";
import type { PolicyPack } from "../policy/types.js";
import { hasMagic, matchGlob } from "../util/glob.js";
import { listWorkTreeFiles, type Repo } from "../util/git.js";
import { defaultIgnorePatterns } from "./walk.js";
import { stripEnds } from "../util/strip.js";

/** Cited files whose size is read, per cited path (enough to tell empty from not). */
const MAX_SIZES_PER_PATH = 50;

/** A repository-anchored path of the manifest or the pack (`/x`), without the slash; null for any other. */
const anchoredPath = (p: unknown): string | null => (typeof p === "string" && p.startsWith("/") && !/^\/+$/.test(p) ? stripEnds(p, "/") : null);

/** The part of a glob before its first segment with a wildcard (the folder git is asked about). */
function staticPrefix(glob: string): string {
  const out: string[] = [];
  for (const seg of glob.split("/")) {
    if (hasMagic(seg)) break;
    out.push(seg);
  }
  return hasMagic(glob) ? out.join("/") : glob;
}

const isUnderPrefix = (p: string, prefix: string) => p === prefix || p.startsWith(prefix + "/");

/**
 * The repository view for the run: empty unless the checked folder is below a git repository's top
 * level and a manifest or an enabled rule names a place outside it.
 */
export async function repositoryView(repo: Repo | null, prefix: string, systems: readonly System[], pack: PolicyPack): Promise<RepositoryView> {
  const view: RepositoryView = { prefix, outsideFiles: [], outsideSizes: new Map() };
  if (!repo || !prefix) return view;

  // What manifests cite (their size matters: evidence must not be empty) and what rules look for.
  const cited = new Set<string>();
  for (const s of systems) {
    const m = s.manifest;
    for (const claim of Object.values(m.controls ?? {})) for (const e of claim.evidence ?? []) addAnchored(cited, e);
    for (const r of m.responsibilities ?? []) for (const a of r.assurance ?? []) addAnchored(cited, a);
    for (const d of m.datasets ?? []) for (const p of d.paths ?? []) addAnchored(cited, p);
    for (const x of m.models ?? []) addAnchored(cited, x.path);
  }
  const looked = new Set<string>();
  for (const r of pack.rules) {
    if (r.enabled === false) continue;
    const globs = [r.check.require, r.check.signals].flatMap((v) => (Array.isArray(v) ? v.filter((g): g is string => typeof g === "string") : []));
    for (const g of globs) {
      if (r.check.scope === "repository") looked.add(g.startsWith("/") ? g.replace(/^\/+/, "") : g.includes("/") ? g : `**/${g}`);
      else addAnchored(looked, g);
    }
  }
  const outside = [...cited, ...looked].filter((p) => !isUnderPrefix(staticPrefix(p), prefix));
  if (!outside.length) return view;

  // One listing per folder git is asked about; a folder inside another one asked about is covered by it.
  const folders = [...new Set(outside.map(staticPrefix))].sort((a, b) => a.length - b.length);
  const asked: string[] = [];
  for (const f of folders) if (!asked.some((a) => a === "" || isUnderPrefix(f, a))) asked.push(f);
  const defaults = ignore().add(defaultIgnorePatterns());
  const files = new Set<string>();
  for (const folder of asked) {
    try {
      const listed = await listWorkTreeFiles(repo, folder);
      for (const p of [...listed.tracked, ...listed.untracked]) if (!isUnderPrefix(p, prefix) && !defaults.ignores(p)) files.add(p);
    } catch {
      // git could not list it (an unusual path, git missing): those places count as absent, as a
      // walk that cannot read a folder leaves its files out.
    }
  }
  const sorted = [...files].sort();
  const sizes = new Map<string, number>();
  for (const p of cited) {
    if (isUnderPrefix(staticPrefix(p), prefix)) continue;
    const hits = sorted.filter((f) => (hasMagic(p) ? matchGlob(f, p) : f === p || f.startsWith(p + "/"))).slice(0, MAX_SIZES_PER_PATH);
    for (const f of hits) {
      if (sizes.has(f)) continue;
      // A symbolic link is never followed (the walk skips them): it counts as empty.
      const st = await lstat(join(repo.top, f)).catch(() => null);
      sizes.set(f, st?.isFile() ? st.size : 0);
    }
  }
  return { prefix, outsideFiles: sorted, outsideSizes: sizes };
}

function addAnchored(into: Set<string>, p: unknown): void {
  if (typeof p === "string" && /^https?:\/\//.test(p)) return;
  const a = anchoredPath(p);
  if (a) into.add(a);
}
