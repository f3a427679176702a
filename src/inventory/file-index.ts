// Lookups over the walked file list that rules make many times per run (the files below a folder,
// a system's files relative to its folder), built once per list: a repository of 50,000 files
// would otherwise be scanned again by every rule that asks.
import type { RepoFile } from "./types.js";
import { firstNotBefore } from "../util/sorted.js";

const sortedLists = new WeakMap<readonly RepoFile[], boolean>();

/** True when the paths are in ascending order (the walk sorts them), so a folder's files are one run. */
function isSorted(files: readonly RepoFile[]): boolean {
  let known = sortedLists.get(files);
  if (known === undefined) {
    known = true;
    for (let i = 1; i < files.length && known; i++) known = files[i - 1]!.path < files[i]!.path;
    sortedLists.set(files, known);
  }
  return known;
}

/** Index of the first file whose path is not below `text` in the sorted list. */
function lowerBound(files: readonly RepoFile[], text: string): number {
  return firstNotBefore(files.length, (i) => files[i]!.path < text);
}

/**
 * The files below `folder` (relative, POSIX, without a trailing slash; "" is every file), in the
 * list's order. A sorted list (a walk's) is searched; any other list is read through. The result
 * is the list itself or a new array: callers do not change it.
 */
export function filesUnder(files: readonly RepoFile[], folder: string): readonly RepoFile[] {
  if (folder === "") return files;
  const prefix = folder + "/";
  if (!isSorted(files)) return files.filter((f) => f.path.startsWith(prefix));
  // Every path starting with the prefix sorts between the prefix and the prefix followed by the highest code unit.
  const from = lowerBound(files, prefix);
  let to = from;
  while (to < files.length && files[to]!.path.startsWith(prefix)) to++;
  return files.slice(from, to);
}

const relativeLists = new WeakMap<readonly string[], Map<string, readonly string[]>>();

/**
 * `paths` relative to `folder` ("" leaves them as they are; a path outside the folder is kept
 * whole), computed once per list and folder: a system's governed files, as its rules' globs see them.
 */
export function relativePaths(paths: readonly string[], folder: string): readonly string[] {
  if (folder === "") return paths;
  let byFolder = relativeLists.get(paths);
  if (!byFolder) relativeLists.set(paths, (byFolder = new Map()));
  let rel = byFolder.get(folder);
  if (!rel) {
    const prefix = folder + "/";
    rel = paths.map((p) => (p.startsWith(prefix) ? p.slice(prefix.length) : p));
    byFolder.set(folder, rel);
  }
  return rel;
}

const pathLists = new WeakMap<readonly RepoFile[], readonly string[]>();

/** The paths of a file list, made once per list (the list must not change afterwards). */
export function pathsOf(files: readonly RepoFile[]): readonly string[] {
  let paths = pathLists.get(files);
  if (!paths) pathLists.set(files, (paths = files.map((f) => f.path)));
  return paths;
}
