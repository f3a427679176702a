// One walk of the repository: every file with its size, honouring .gitignore files (nested ones
// too) and aigate's default ignores. Symbolic links are not followed, so nothing outside the root is read.
import { readFileSync } from "node:fs";
import { lstat, opendir, readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import ignore, { type Ignore } from "ignore";
import { packageRoot } from "../util/package-root.js";
import type { RepoFile } from "./types.js";

export interface WalkResult {
  files: RepoFile[];
  /** Folders seen (relative, POSIX), so evidence may name a folder. */
  folders: Set<string>;
}

let defaults: string | undefined;
function defaultIgnores(): string {
  defaults ??= readFileSync(join(packageRoot(), "policies", "ignore-defaults.txt"), "utf8");
  return defaults;
}

interface Scope {
  base: string;
  ig: Ignore;
}

export async function walkRepository(root: string, extraIgnores: string[] = []): Promise<WalkResult> {
  const files: RepoFile[] = [];
  const folders = new Set<string>([""]);
  const rootScope: Scope = { base: "", ig: ignore().add(defaultIgnores()).add(extraIgnores) };

  const ignored = (scopes: Scope[], rel: string, isDir: boolean) =>
    scopes.some((s) => {
      const sub = s.base ? rel.slice(s.base.length + 1) : rel;
      return sub !== "" && s.ig.ignores(isDir ? sub + "/" : sub);
    });

  const visit = async (dir: string, scopes: Scope[]): Promise<void> => {
    let local = scopes;
    try {
      const gi = await readFile(join(root, dir, ".gitignore"), "utf8");
      local = [...scopes, { base: dir, ig: ignore().add(gi) }];
    } catch {
      // no .gitignore here
    }
    const handle = await opendir(join(root, dir));
    const subdirs: string[] = [];
    for await (const entry of handle) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!ignored(local, rel, true)) subdirs.push(rel);
      } else if (entry.isFile()) {
        if (ignored(local, rel, false)) continue;
        const st = await lstat(join(root, rel));
        files.push({ path: rel, size: st.size });
      }
    }
    for (const d of subdirs.sort()) {
      folders.add(d);
      await visit(d, local);
    }
  };
  await visit("", [rootScope]);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, folders };
}

/** True when `path` lies in `folder` (both relative, POSIX; "" is the root). */
export function isUnder(path: string, folder: string): boolean {
  return folder === "" || path === folder || path.startsWith(folder + "/");
}

export const toPosix = (p: string) => p.split("\\").join(posix.sep);
