// One walk of the repository: every file with its size.
//
// Inside a git work tree the list is git's: every tracked file, whatever .gitignore or aigate's
// default ignores say (a committed .env or pickle is always scanned), plus the untracked files that
// no .gitignore and no default ignore matches. Outside git, the folders are read, honouring
// .gitignore files (nested ones too, read only when they are regular files) and the default
// ignores; in a work tree git could not list, only the default ignores apply. In both modes symbolic links are never followed, and a path that cannot be listed or
// read (a symbolic link, a FIFO, a folder too deep or unreadable, a name too long) becomes a
// skipped entry with its reason instead of stopping the walk.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, type Dirent, type Stats } from "node:fs";
import { realpath } from "node:fs/promises";
import { join, posix, sep } from "node:path";
import { checkGlob } from "../util/glob.js";
import ignore, { type Ignore } from "ignore";
import { findRepository, listWorkTreeWithBlobIds, pathInRepository, type WorkTreeFiles } from "../util/git.js";
import { packageRoot } from "../util/package-root.js";
import { byPath, isSortedByPath } from "./context.js";
import type { RepoFile } from "./types.js";
import { stripTrailing } from "../util/strip.js";

/** A path the walk did not list, and why (the caller reports it as unscanned). */
export interface SkippedPath {
  /** Relative to the root, POSIX. */
  path: string;
  reason: string;
  /** A bound of the walk kept it out (too deep, past the entry limit): content is there that nothing read. */
  bounded?: true;
}

export interface WalkResult {
  files: RepoFile[];
  /** Folders seen (relative, POSIX; "" is the root), so evidence may name a folder. */
  folders: Set<string>;
  /** Paths not listed in `files` because they could not or must not be read, sorted by path. */
  skipped: SkippedPath[];
  /**
   * "git": the files git tracks plus untracked files no ignore rule matches; "filesystem": the
   * folders were read (the root is not in a git work tree, or git could not list it: see `gitError`).
   */
  source: "git" | "filesystem";
  /**
   * Why git could not list the files of a root inside a git work tree (git missing, a repository
   * owned by another user...). The folders were read instead, without applying .gitignore files.
   */
  gitError?: string;
}

export interface WalkOptions {
  /** Deepest folder entered, counted from the root (default 256). */
  maxDepth?: number;
  /** Most files and folders listed (default 1,000,000); the rest are one skipped entry. */
  maxEntries?: number;
  /** Ask git for the file list when the root is in a work tree (default true). */
  useGit?: boolean;
  /**
   * Told git's untracked listing as soon as the walk has it (before any file is stat-ed), or null
   * when git did not list the files: the diff of a change lists the same files, and asks git once.
   */
  onUntracked?: (listing: UntrackedListing | null) => void;
  /** Called once as soon as the walk knows it lists at least `atLeast` files (before it has stat-ed them all). */
  onManyFiles?: { atLeast: number; call: () => void };
}

/** The untracked files git listed for a walk: repository-relative paths below `sub` (no ignore rule matches them). */
export interface UntrackedListing {
  /** The git folder of the repository. */
  gitDir: string;
  /** The walked folder, relative to the repository's top level ("" for the top). */
  sub: string;
  paths: readonly string[];
}

/**
 * Starts the walk of `root` with its defaults, and tells git's untracked listing as soon as the walk
 * has it (null when the walk is not git's). The listing promise never rejects.
 */
export function startWalk(root: string, onManyFiles?: WalkOptions["onManyFiles"]): { walk: Promise<WalkResult>; untracked: Promise<UntrackedListing | null> } {
  let tell!: (l: UntrackedListing | null) => void;
  const untracked = new Promise<UntrackedListing | null>((resolve) => (tell = resolve));
  const walk = walkRepository(root, [], { onUntracked: tell, onManyFiles }).finally(() => tell(null));
  walk.catch(() => undefined);
  return { walk, untracked };
}

export const DEFAULT_MAX_DEPTH = 256;
export const DEFAULT_MAX_ENTRIES = 1_000_000;
const MAX_GITIGNORE_BYTES = 1024 * 1024;

let defaults: string | undefined;
function defaultIgnores(): string {
  defaults ??= readFileSync(join(packageRoot(), "policies", "ignore-defaults.txt"), "utf8");
  return defaults;
}

/** aigate's default ignore patterns (gitignore syntax), one per entry, comments and blank lines left out. */
export function defaultIgnorePatterns(): string[] {
  return defaultIgnores()
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

const errorReason = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  const text: Record<string, string> = {
    ENAMETOOLONG: "the path is too long for the file system",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ELOOP: "too many levels of symbolic links",
    ENOENT: "it vanished during the walk",
    ENOTDIR: "a folder in its path is not a folder",
  };
  return err.code ? `${err.code}: ${text[err.code] ?? err.message}` : String(err?.message ?? e);
};

function kindOf(st: Stats | Dirent): string {
  if (st.isSymbolicLink()) return "a symbolic link (not followed)";
  if (st.isFIFO()) return "a FIFO (named pipe), not a regular file";
  if (st.isSocket()) return "a socket, not a regular file";
  if (st.isBlockDevice() || st.isCharacterDevice()) return "a device, not a regular file";
  return "not a regular file";
}

/** What the walk's lstat saw of a file: its identity and change times, and when it looked. */
export interface FileStamp {
  /** Device, inode, size, modification and status-change times. */
  key: string;
  /** The later of the file's modification and status-change times (ms since the epoch). */
  changedMs: number;
  /** When the walk started (ms since the epoch). */
  walkedMs: number;
}

/**
 * The numbers behind the stamps of one walk's files (device, inode, modification and status-change
 * times, four a file), kept as the walk saw them in one growing array: an object and three boxed
 * numbers a file cost a repository of 50,000 files 5 MB. The key is made only when a cache asks.
 */
class StampTable {
  private data = new Float64Array(4 * 1024);
  private n = 0;
  constructor(readonly walkedMs: number) {}

  add(st: Stats): number {
    if ((this.n + 1) * 4 > this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const at = this.n++ * 4;
    this.data[at] = st.dev;
    this.data[at + 1] = st.ino;
    this.data[at + 2] = st.mtimeMs;
    this.data[at + 3] = st.ctimeMs;
    return at;
  }

  get(at: number, i: number): number {
    return this.data[at + i]!;
  }
}

// Kept on the file object under symbols: neither JSON nor a worker's message (structured clone)
// carries a symbol-keyed property, and a WeakMap entry per file cost the walk of 20,000 files
// three times as much in collection.
const STAMPS = Symbol("stamp table");
const STAMP_AT = Symbol("stamp position");
const STAMP_KEY = Symbol("stamp key");
type StampedFile = RepoFile & { [STAMPS]?: StampTable; [STAMP_AT]?: number; [STAMP_KEY]?: FileStamp };

/**
 * The stamp the walk took of a listed file (undefined for a file it did not list). The scan cache
 * trusts a result recorded under the same stamp without reading the file again, as git trusts the
 * stat data of its index: a file changed since has another status-change time (it cannot be set
 * back), or another inode if it was replaced.
 */
export function fileStamp(file: RepoFile): FileStamp | undefined {
  const f = file as StampedFile;
  const known = f[STAMP_KEY];
  if (known) return known;
  const table = f[STAMPS];
  if (table === undefined) return undefined;
  const at = f[STAMP_AT]!;
  const [dev, ino, mtimeMs, ctimeMs] = [0, 1, 2, 3].map((i) => table.get(at, i)) as [number, number, number, number];
  const stamp: FileStamp = { key: `${dev}:${ino}:${file.size}:${mtimeMs}:${ctimeMs}`, changedMs: Math.max(mtimeMs, ctimeMs), walkedMs: table.walkedMs };
  f[STAMP_KEY] = stamp;
  return stamp;
}

/**
 * The numbers of a listed file's stamp (device, inode, modification and status-change times),
 * written into `out` at `at`, when the file last changed at least `racyMs` before the walk; false
 * otherwise, and for a file the walk did not list. For keys over many files, without a string each.
 */
export function writeStampNumbers(file: RepoFile, racyMs: number, out: Float64Array, at: number): boolean {
  const table = (file as StampedFile)[STAMPS];
  if (table === undefined) return false;
  const from = (file as StampedFile)[STAMP_AT]!;
  if (!(Math.max(table.get(from, 2), table.get(from, 3)) < table.walkedMs - racyMs)) return false;
  for (let i = 0; i < 4; i++) out[at + i] = table.get(from, i);
  return true;
}

function stamped(path: string, st: Stats, stamps: StampTable): RepoFile {
  const f: StampedFile = { path, size: st.size, [STAMPS]: stamps, [STAMP_AT]: stamps.add(st) };
  return f;
}

class Collector {
  readonly files: RepoFile[] = [];
  /** Told once when `files` reaches the count (WalkOptions.onManyFiles). */
  many?: WalkOptions["onManyFiles"];
  readonly folders = new Set<string>([""]);
  readonly skipped: SkippedPath[] = [];
  readonly startedMs = Date.now();
  readonly stamps = new StampTable(this.startedMs);
  private readonly seen = new Set<string>();
  private entries = 0;
  private overflow: { first: string; count: number } | undefined;

  constructor(
    private readonly maxEntries: number,
    many?: WalkOptions["onManyFiles"],
  ) {
    this.many = many;
  }

  /** False (and counted) once the entry limit is reached. */
  take(path: string): boolean {
    if (this.entries < this.maxEntries) {
      this.entries++;
      if (this.many && this.entries >= this.many.atLeast) {
        const call = this.many.call;
        this.many = undefined;
        call();
      }
      return true;
    }
    if (!this.overflow) this.overflow = { first: path, count: 0 };
    this.overflow.count++;
    return false;
  }

  skip(path: string, reason: string, bounded = false): void {
    if (this.seen.has(path)) return;
    this.seen.add(path);
    this.skipped.push({ path, reason, ...(bounded ? { bounded: true as const } : {}) });
  }

  result(source: WalkResult["source"], gitError?: string): WalkResult {
    if (this.overflow)
      this.skip(
        this.overflow.first,
        `the walk lists at most ${this.maxEntries} files and folders; this and ${this.overflow.count - 1} more paths were not listed`,
        true,
      );
    if (!isSortedByPath(this.files)) this.files.sort(byPath);
    this.skipped.sort(byPath);
    return { files: this.files, folders: this.folders, skipped: this.skipped, source, ...(gitError !== undefined ? { gitError } : {}) };
  }
}

export async function walkRepository(root: string, extraIgnores: string[] = [], options: WalkOptions = {}): Promise<WalkResult> {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  let gitError: string | undefined;
  if (options.useGit !== false) {
    const repo = await findRepository(root).catch(() => null);
    if (repo) {
      try {
        const realRoot = await realpath(root);
        const sub = await pathInRepository(repo, realRoot);
        // Blob ids of unchanged tracked files let scanners read identical content once.
        const listing = await listWorkTreeWithBlobIds(repo, sub, { exclude: defaultIgnorePatterns() });
        options.onUntracked?.({ gitDir: repo.gitDir, sub, paths: listing.untracked });
        const many = options.onManyFiles;
        if (many && listing.tracked.length + listing.untracked.length >= many.atLeast) many.call();
        // A root git tracks nothing in (a folder .gitignore excludes, build output) is read folder by
        // folder: there is no tracked file a .gitignore could hide.
        if (listing.tracked.length === 0) {
          await listing.blobIds;
          return fromFolders(root, extraIgnores, maxDepth, true, new Collector(maxEntries, options.onManyFiles)).result("filesystem");
        }
        const result = await fromGit(realRoot, sub, listing, extraIgnores, maxDepth, new Collector(maxEntries));
        const ids = await listing.blobIds;
        for (const f of result.files) {
          const oid = ids.get(sub ? `${sub}/${f.path}` : f.path);
          if (oid) f.oid = oid;
        }
        return result;
      } catch (e) {
        gitError = (e as Error).message;
      }
    }
  }
  // In a work tree git could not list, .gitignore cannot tell tracked files from ignored ones, and a
  // committed .gitignore must never hide a committed file: only the default and extra ignores apply.
  return fromFolders(root, extraIgnores, maxDepth, gitError === undefined, new Collector(maxEntries, options.onManyFiles)).result("filesystem", gitError);
}

const MISSING = "tracked by git but missing from the work tree (deleted, or outside a sparse checkout)";

/** Files lstat-ed between two turns of the event loop, so git commands started beside the walk go on meanwhile. */
const LSTAT_SLICE = 2048;

/** The file list from git: tracked files always; untracked ones unless a default or extra ignore matches. */
async function fromGit(root: string, sub: string, listing: WorkTreeFiles, extraIgnores: string[], maxDepth: number, out: Collector): Promise<WalkResult> {
  const strip = (p: string) => (sub ? p.slice(sub.length + 1) : p);
  const at = under(root);
  const untrackedIgnore = ignore().add(defaultIgnores()).add(extraIgnores);
  const entries: { path: string; tracked: boolean }[] = listing.tracked.map((p) => ({ path: strip(p), tracked: true }));
  for (const p of listing.untracked) {
    const rel = strip(p);
    if (!isIgnored(untrackedIgnore, rel)) entries.push({ path: rel, tracked: false });
  }
  // git lists in byte order, which is the order byPath gives for most names: sort only when needed.
  if (!isSortedByPath(entries)) entries.sort(byPath);

  // Each folder is checked once: a real folder (not a symbolic link), no deeper than maxDepth. A
  // refused folder is one skipped entry; the files below it are covered by it.
  const folderOk = new Map<string, boolean>([["", true]]);
  const checkFolder = (folder: string): boolean => {
    const known = folderOk.get(folder);
    if (known !== undefined) return known;
    const parts = folder.split("/");
    let ok: boolean;
    if (parts.length > maxDepth) {
      const cut = parts.slice(0, maxDepth + 1).join("/");
      ok = false;
      if (checkFolder(parts.slice(0, maxDepth).join("/")) && !folderOk.has(cut)) {
        folderOk.set(cut, false);
        out.skip(cut, `more than ${maxDepth} folders deep; not entered`, true);
      }
    } else if (!checkFolder(parts.slice(0, -1).join("/"))) ok = false;
    else {
      let reason: string | null;
      try {
        const st = lstatSync(at(folder));
        reason = st.isDirectory() ? null : kindOf(st);
      } catch (e) {
        reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? MISSING : errorReason(e);
      }
      ok = reason === null;
      if (reason !== null) out.skip(folder, reason);
      else if (out.take(folder)) out.folders.add(folder);
    }
    folderOk.set(folder, ok);
    return ok;
  };

  for (const u of listing.unlisted) {
    const rel = strip(u.path);
    const parts = rel.split("/");
    if (parts.length > maxDepth) checkFolder(parts.slice(0, maxDepth + 1).join("/"));
    else out.skip(rel, u.reason);
  }
  let sliced = 0;
  for (const { path, tracked } of entries) {
    if (++sliced === LSTAT_SLICE) {
      sliced = 0;
      await new Promise<void>((go) => setImmediate(go));
    }
    const slash = path.lastIndexOf("/");
    if (slash >= 0 && !checkFolder(path.slice(0, slash))) continue;
    let st: Stats;
    try {
      st = lstatSync(at(path));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      out.skip(path, tracked && code === "ENOENT" ? MISSING : errorReason(e));
      continue;
    }
    if (st.isFile()) {
      if (out.take(path)) out.files.push(stamped(path, st, out.stamps));
    } else if (st.isDirectory()) {
      // A tracked folder is a submodule that is not checked out (checked-out ones list their files).
      out.skip(path, tracked ? "a git submodule that is not checked out" : "a folder git listed as a file");
      if (out.take(path)) out.folders.add(path);
    } else out.skip(path, kindOf(st));
  }
  return out.result("git");
}

function isIgnored(ig: Ignore, rel: string, isDir = false): boolean {
  try {
    return ig.ignores(isDir ? rel + "/" : rel);
  } catch {
    return false;
  }
}

interface Scope {
  base: string;
  ig: Ignore;
  /**
   * Answers by name, when every pattern of the scope is a name (no `/` but a trailing one, no `**`,
   * no negation, no escape): the walk enters no ignored folder, so such patterns can match only
   * the last part of a path, and the answer depends on the name alone (and on being a folder).
   */
  byName?: Map<string, boolean>;
  /** When every such name is plain text (no wildcard, no space at either end): the names ignored, of files and of folders. */
  names?: { files: Set<string>; folders: Set<string> };
}

const asciiLower = (s: string) => (/[A-Z]/.test(s) ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s);

/** A scope of ignore patterns (the texts or lists the ignore library is given, in order). */
function scopeOf(base: string, patterns: readonly (string | readonly string[])[]): Scope {
  const ig = ignore();
  for (const p of patterns) ig.add(p as string | string[]);
  const lines = patterns.flatMap((p) => (typeof p === "string" ? [p] : p)).flatMap((p) => p.split(/\r?\n/));
  const names = lines.every((l) => {
    const t = l.trim();
    return t === "" || t.startsWith("#") || (!t.startsWith("!") && !t.includes("\\") && !t.includes("**") && !stripTrailing(t, "/").includes("/"));
  });
  if (!names) return { base, ig };
  const rules = lines.filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
  // Plain ASCII names only: the ignore library compares letters regardless of case (ASCII letters
  // only: a name with the Kelvin sign is not "k..."), which asciiLower does too.
  if (rules.some((l) => !/^[\x21-\x7e]+$/.test(l) || /[*?[\]]/.test(l) || /^\/|\/\/$/.test(l))) return { base, ig, byName: new Map() };
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const l of rules) {
    // `name/` is a folder only; `name` is a file or a folder.
    const name = asciiLower(l.replace(/\/$/, ""));
    folders.add(name);
    if (!l.endsWith("/")) files.add(name);
  }
  return { base, ig, names: { files, folders } };
}

/** Reads the folders: the default and extra ignores apply, and .gitignore files (regular files only) if `applyGitignore`. */
function fromFolders(root: string, extraIgnores: string[], maxDepth: number, applyGitignore: boolean, out: Collector): Collector {
  const rootScope = scopeOf("", [defaultIgnores(), extraIgnores]);
  const at = under(root);
  const ignored = (scopes: Scope[], rel: string, isDir: boolean) =>
    scopes.some((s) => {
      const sub = s.base ? rel.slice(s.base.length + 1) : rel;
      if (sub === "") return false;
      if (s.names) return (isDir ? s.names.folders : s.names.files).has(asciiLower(sub.slice(sub.lastIndexOf("/") + 1)));
      if (!s.byName) return isIgnored(s.ig, sub, isDir);
      const key = (isDir ? "/" : "") + sub.slice(sub.lastIndexOf("/") + 1);
      let answer = s.byName.get(key);
      if (answer === undefined) s.byName.set(key, (answer = isIgnored(s.ig, sub, isDir)));
      return answer;
    });

  // Depth-first with an explicit stack, folders in name order.
  const stack: { dir: string; depth: number; scopes: Scope[] }[] = [{ dir: "", depth: 0, scopes: [rootScope] }];
  while (stack.length) {
    const { dir, depth, scopes } = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(at(dir), { withFileTypes: true });
    } catch (e) {
      out.skip(dir || ".", errorReason(e));
      continue;
    }
    let local = scopes;
    const gi = applyGitignore ? entries.find((e) => e.name === ".gitignore" && e.isFile()) : undefined;
    if (gi) {
      const rel = dir ? `${dir}/.gitignore` : ".gitignore";
      const text = readSmallRegularFile(at(rel));
      if (typeof text === "string") local = [...scopes, scopeOf(dir, [boundedIgnoreLines(text)])];
      else out.skip(rel, `not applied: ${text.reason}`);
    }
    const subdirs: string[] = [];
    for (const entry of entries) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (ignored(local, rel, true)) continue;
        if (depth + 1 > maxDepth) out.skip(rel, `more than ${maxDepth} folders deep; not entered`, true);
        else subdirs.push(rel);
      } else if (entry.isFile()) {
        if (ignored(local, rel, false)) continue;
        let st: Stats;
        try {
          st = lstatSync(at(rel));
        } catch (e) {
          out.skip(rel, errorReason(e));
          continue;
        }
        if (!st.isFile()) out.skip(rel, kindOf(st));
        else if (out.take(rel)) out.files.push(stamped(rel, st, out.stamps));
      } else {
        if (ignored(local, rel, false)) continue;
        out.skip(rel, kindOf(entry));
      }
    }
    subdirs.sort();
    for (let i = subdirs.length - 1; i >= 0; i--) {
      const d = subdirs[i]!;
      if (!out.take(d)) continue;
      out.folders.add(d);
      stack.push({ dir: d, depth: depth + 1, scopes: local });
    }
  }
  return out;
}

/** A .gitignore's text if it is a regular file (not a symbolic link, FIFO or device) of at most 1 MiB. */
function readSmallRegularFile(file: string): string | { reason: string } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { reason: errorReason(e) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { reason: kindOf(st) };
    if (st.size > MAX_GITIGNORE_BYTES) return { reason: `larger than ${MAX_GITIGNORE_BYTES} bytes` };
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, n);
      if (r === 0) break;
      n += r;
    }
    return buf.subarray(0, n).toString("utf8");
  } catch (e) {
    return { reason: errorReason(e) };
  } finally {
    closeSync(fd);
  }
}

/**
 * A relative path's absolute one under `root`. The paths come from readdir names and git's index
 * (no empty, `.` or `..` components), so concatenation is what path.join would give, without its
 * normalising pass over every path.
 */
function under(root: string): (rel: string) => string {
  const base = root.endsWith(sep) ? root : root + sep;
  return (rel) => (rel === "" ? root : base + rel);
}

/** True when `path` lies in `folder` (both relative, POSIX; "" is the root). */
export function isUnder(path: string, folder: string): boolean {
  return folder === "" || path === folder || path.startsWith(folder + "/");
}

export const toPosix = (p: string) => p.split("\\").join(posix.sep);

/**
 * A repository's .gitignore lines, minus those whose pattern is unbounded (too long, brace bombs,
 * many `**`): the ignore library turns them into backtracking regexes. Dropping a line only makes
 * the walk list more files, never fewer.
 */
function boundedIgnoreLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => {
    const pattern = line.replace(/^!/, "").trim();
    return pattern === "" || pattern.startsWith("#") || checkGlob(pattern) === null;
  });
}
