// Git, run so that the repository being checked cannot take it over. Every byte of a pull request's
// checkout is written by whoever the gate checks, so:
// - the repository is found by walking up to a `.git` entry, never by git's own discovery (which
//   takes a folder holding HEAD, config, objects/ and refs/ for a bare repository and runs the
//   commands its config names, e.g. core.fsmonitor);
// - git always runs from the top level with explicit --git-dir and --work-tree, with fsmonitor,
//   hooks, external diff and textconv (diff, log, show), replace refs and transports off, and a
//   minimal environment (no inherited GIT_*, no tokens);
// - every ref and path argument is checked, and refs are resolved to object ids before use.
import { execFile } from "node:child_process";
import { lstat, open, realpath } from "node:fs/promises";
import { constants } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** A git work tree: its top-level folder and its git folder (both absolute, symbolic links resolved). */
export interface Repo {
  top: string;
  gitDir: string;
}

/** git failed: exited with a status, timed out, produced too much output or could not start. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
  ) {
    super(message);
    this.name = "GitError";
  }
}

export interface GitOptions {
  /** Milliseconds before git is killed (default 120,000). */
  timeout?: number;
  /** Most bytes of standard output accepted (default 64 MiB). */
  maxBuffer?: number;
}

const DEFAULT_TIMEOUT = 120_000;
const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;
const MAX_GITFILE_BYTES = 4096;
const NULL_DEVICE = process.platform === "win32" ? "NUL" : "/dev/null";

/** `-c` settings on every call; command-line settings override every configuration file. */
const SAFE_CONFIG = [
  "core.fsmonitor=false",
  "safe.bareRepository=explicit",
  `core.hooksPath=${NULL_DEVICE}`,
  "core.quotePath=false",
  "core.pager=cat",
  "protocol.allow=never",
  "submodule.recurse=false",
  "color.ui=false",
  "log.showSignature=false",
  "gc.auto=0",
  "maintenance.auto=false",
];

/** Variables passed to git from the caller's environment; everything else (GIT_*, INPUT_*, tokens) is left out. */
const PASSED_ENV = ["PATH", "HOME", "USERPROFILE", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP"];

/** The environment git runs with: the few variables it needs from `env`, plus fixed settings. */
export function gitEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  // Windows spells variable names in any case (Path); match them case-insensitively.
  const byUpper = new Map(Object.keys(env).map((k) => [k.toUpperCase(), k]));
  for (const name of PASSED_ENV) {
    const key = byUpper.get(name);
    const value = key === undefined ? undefined : env[key];
    if (value !== undefined) out[key!] = value;
  }
  out.LANG = "C";
  out.LC_ALL = "C";
  out.GIT_CONFIG_NOSYSTEM = "1";
  out.GIT_TERMINAL_PROMPT = "0";
  out.GIT_OPTIONAL_LOCKS = "0";
  out.GIT_NO_REPLACE_OBJECTS = "1";
  out.GIT_ASKPASS = "";
  out.SSH_ASKPASS = "";
  return out;
}

/** Throws unless `ref` can be passed to git as a revision (not an option, no control characters). */
export function assertRef(ref: string, what = "ref"): void {
  // eslint-disable-next-line no-control-regex
  if (typeof ref !== "string" || ref === "" || ref.length > 1024 || ref.startsWith("-") || /[\x00-\x1f\x7f]/.test(ref)) {
    throw new Error(`invalid ${what} "${printable(String(ref))}"`);
  }
}

/**
 * Checks a repository-relative path (POSIX) and returns it: relative, no `.`/`..`/empty component,
 * no NUL. The empty string is the top level.
 */
export function checkRepoPath(path: string): string {
  if (path === "") return path;
  const parts = path.split("/");
  if (path.includes("\0") || isAbsolute(path) || /^[A-Za-z]:/.test(path) || parts.some((p) => p === "" || p === "." || p === "..")) {
    throw new Error(`invalid repository path "${printable(path)}"`);
  }
  return path;
}

/**
 * The git work tree enclosing `dir` (or `dir` itself), found by walking up to a `.git` folder or a
 * `gitdir: ...` file (worktrees, submodules). git is not run, and a folder that merely holds HEAD,
 * config or objects/ is never taken for a repository. Null when there is none.
 */
export async function findRepository(dir: string): Promise<Repo | null> {
  let cur = await realpath(resolve(dir)).catch(() => resolve(dir));
  for (;;) {
    const dotGit = join(cur, ".git");
    const st = await lstat(dotGit).catch(() => null);
    if (st?.isDirectory()) {
      // git goes on upwards past a `.git` folder that is not a repository; so do we.
      if (await isGitDir(dotGit)) return { top: cur, gitDir: await realpath(dotGit) };
    } else if (st?.isFile()) {
      // A broken `gitdir:` file stops git's discovery with an error; here it means "no repository".
      const gitDir = await readGitFile(dotGit, cur);
      return gitDir && (await isGitDir(gitDir)) ? { top: cur, gitDir: await realpath(gitDir) } : null;
    }
    const parent = dirname(cur);
    if (parent === cur) return null;
    cur = parent;
  }
}

async function isGitDir(dir: string): Promise<boolean> {
  const kind = async (p: string) => {
    const st = await lstat(join(dir, p)).catch(() => null);
    return st?.isFile() ? "file" : st?.isDirectory() ? "dir" : null;
  };
  if ((await kind("HEAD")) !== "file") return false;
  return (await kind("objects")) === "dir" || (await kind("commondir")) === "file";
}

async function readGitFile(file: string, folder: string): Promise<string | null> {
  let text: string;
  try {
    const fh = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    try {
      const st = await fh.stat();
      if (!st.isFile() || st.size > MAX_GITFILE_BYTES) return null;
      const buf = Buffer.alloc(MAX_GITFILE_BYTES);
      const { bytesRead } = await fh.read(buf, 0, MAX_GITFILE_BYTES, 0);
      text = buf.subarray(0, bytesRead).toString("utf8");
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
  const m = /^gitdir: (.+?)\r?\n?$/.exec(text);
  if (!m) return null;
  return resolve(folder, m[1]!);
}

/**
 * The folder `dir` relative to the repository's top level (POSIX; "" for the top itself), after
 * resolving symbolic links. Throws when `dir` is not inside the work tree.
 */
export async function pathInRepository(repo: Repo, dir: string): Promise<string> {
  const real = await realpath(resolve(dir)).catch(() => resolve(dir));
  const rel = relative(repo.top, real);
  if (rel === "") return "";
  if (rel.startsWith("..") || isAbsolute(rel)) throw new Error(`${dir} is not inside the git work tree ${repo.top}`);
  return rel.split(sep).join("/");
}

interface GitRun {
  stdout: Buffer;
  stderr: string;
}

/** Porcelain commands that would run a configured external diff or textconv program. */
const DIFF_PORCELAIN = new Set(["diff", "log", "show"]);

async function run(repo: Repo, args: readonly string[], opts: GitOptions = {}): Promise<GitRun> {
  await checkOwnership(repo);
  return exec(repo, args, opts);
}

/**
 * git refuses a repository another user owns unless `safe.directory` names it, since that user's
 * .git/config could run commands; an explicit --git-dir skips git's own check, so it is made here.
 */
const ownershipChecked = new Map<string, Promise<void>>();
function checkOwnership(repo: Repo): Promise<void> {
  const euid = process.geteuid?.();
  if (euid === undefined) return Promise.resolve();
  const key = `${repo.top}\0${repo.gitDir}`;
  let p = ownershipChecked.get(key);
  if (!p) {
    p = (async () => {
      const owners = await Promise.all([repo.top, repo.gitDir].map((d) => lstat(d).then((st) => st.uid)));
      if (owners.every((uid) => uid === euid)) return;
      // Only the user's own (global) configuration may say a repository is safe; no repository is read.
      const out = await exec({ top: "/", gitDir: NO_REPOSITORY }, ["config", "--global", "--get-all", "safe.directory"], {}, true).catch(() => ({
        stdout: Buffer.alloc(0),
      }));
      let safe: string[] = [];
      for (const value of out.stdout.toString("utf8").replace(/\n$/, "").split("\n")) {
        // An empty value empties the list, as in git.
        if (value === "") safe = [];
        else safe.push(value);
      }
      const covers = (v: string, dir: string) => v === "*" || resolve(v) === dir || (v.endsWith("/*") && (dir + "/").startsWith(resolve(v.slice(0, -2)) + "/"));
      if (safe.some((v) => covers(v, repo.top) || covers(v, repo.gitDir))) return;
      throw new GitError(`git refuses ${repo.top}: it is owned by another user (add it to safe.directory in your git configuration to trust it)`, [], null);
    })();
    ownershipChecked.set(key, p);
  }
  return p;
}
const NO_REPOSITORY = "/nonexistent-aigate-git-dir";

function exec(repo: Repo, args: readonly string[], opts: GitOptions = {}, noRepository = false): Promise<GitRun> {
  const [command, ...rest] = args;
  const guarded = command !== undefined && DIFF_PORCELAIN.has(command) ? [command, "--no-ext-diff", "--no-textconv", ...rest] : args;
  const argv = [
    "--no-pager",
    "--no-replace-objects",
    "--literal-pathspecs",
    `--git-dir=${repo.gitDir}`,
    ...(noRepository ? [] : [`--work-tree=${repo.top}`]),
    ...SAFE_CONFIG.flatMap((c) => ["-c", c]),
    ...guarded,
  ];
  return new Promise((resolvePromise, reject) => {
    execFile(
      "git",
      argv,
      {
        cwd: repo.top,
        env: gitEnvironment(),
        encoding: "buffer",
        maxBuffer: opts.maxBuffer ?? DEFAULT_MAX_BUFFER,
        timeout: opts.timeout ?? DEFAULT_TIMEOUT,
        windowsHide: true,
        shell: false,
      },
      (error, stdout, stderr) => {
        const errText = stderr.toString("utf8");
        if (error) {
          const e = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string };
          const name = args[0] ?? "git";
          let why: string;
          if (e.code === "ENOENT") why = "git is not installed (or not on PATH)";
          else if (e.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") why = `output larger than ${opts.maxBuffer ?? DEFAULT_MAX_BUFFER} bytes`;
          else if (e.killed || e.signal) why = `stopped after ${opts.timeout ?? DEFAULT_TIMEOUT} ms`;
          else why = firstErrorLine(errText) ?? `exit status ${String(e.code)}`;
          reject(new GitError(`git ${name} failed: ${why}`, args, typeof e.code === "number" ? e.code : null));
          return;
        }
        resolvePromise({ stdout, stderr: errText });
      },
    );
  });
}

/** git's first `fatal:`/`error:` line (or its first line), printable and bounded. */
function firstErrorLine(stderr: string): string | undefined {
  const lines = stderr.split(/\r?\n/).filter((l) => l.trim() !== "");
  const line = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0];
  return line === undefined ? undefined : printable(line.trim()).slice(0, 500);
}

// eslint-disable-next-line no-control-regex
const printable = (s: string) => s.replace(/[\x00-\x1f\x7f-\x9f]/g, "?");

/** Runs `git <args>` in `repo` (see the top of this file for how) and returns its standard output. */
export async function git(repo: Repo, args: readonly string[], opts?: GitOptions): Promise<Buffer> {
  return (await run(repo, args, opts)).stdout;
}

/** `git()` with the output as UTF-8 text. */
export async function gitText(repo: Repo, args: readonly string[], opts?: GitOptions): Promise<string> {
  return (await run(repo, args, opts)).stdout.toString("utf8");
}

/** The full object id of the commit `ref` names (a branch, tag, `HEAD~1`, an id...). Throws when there is none. */
export async function resolveCommit(repo: Repo, ref: string): Promise<string> {
  assertRef(ref);
  // A full object id names the same commit for good: asked of git once per repository (the base
  // reader asks again for every file it reads).
  const key = FULL_ID.test(ref) ? `${repo.gitDir}\0${ref}` : null;
  if (key !== null && knownCommits.has(key)) return ref;
  const out = await gitText(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]).catch((e: unknown) => {
    if (e instanceof GitError && e.exitCode === 1) throw new GitError(`no commit named "${printable(ref)}"`, e.args, 1);
    throw e;
  });
  const oid = out.trim();
  if (!FULL_ID.test(oid)) throw new GitError(`no commit named "${printable(ref)}"`, ["rev-parse"], null);
  // The id git answered with names a commit for good, whatever ref it was asked by: a later
  // question by that id (the merge base, the base reader) is answered without a second process.
  if (knownCommits.size < 256) knownCommits.add(`${repo.gitDir}\0${oid}`);
  return oid;
}

const FULL_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** Full commit ids git has confirmed, per git folder (bounded: a long-lived process asks of few). */
const knownCommits = new Set<string>();

/** The commit checked out (HEAD). */
export function headCommit(repo: Repo): Promise<string> {
  return resolveCommit(repo, "HEAD");
}

/** The best common ancestor of two commits; throws when they share none (e.g. a shallow clone). */
export async function mergeBase(repo: Repo, a: string, b: string): Promise<string> {
  const [x, y] = await Promise.all([resolveCommit(repo, a), resolveCommit(repo, b)]);
  const out = await gitText(repo, ["merge-base", x, y]).catch((e: unknown) => {
    if (e instanceof GitError && e.exitCode === 1)
      throw new GitError(`${printable(a)} and ${printable(b)} have no common ancestor (is the clone shallow?)`, e.args, 1);
    throw e;
  });
  return out.trim();
}

/** One entry of a commit's tree. `size` is null for submodules. */
export interface TreeEntry {
  /** Repository-relative, POSIX. */
  path: string;
  /** "100644", "100755", "120000" (symbolic link), "160000" (submodule), "040000" (folder). */
  mode: string;
  type: "blob" | "tree" | "commit";
  oid: string;
  size: number | null;
}

function parseLsTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.toString("utf8").split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const m = /^(\d{6}) (blob|tree|commit) ([0-9a-f]+) +(-|\d+)$/.exec(record.slice(0, tab));
    if (tab < 0 || !m) continue;
    entries.push({ path: record.slice(tab + 1), mode: m[1]!, type: m[2] as TreeEntry["type"], oid: m[3]!, size: m[4] === "-" ? null : Number(m[4]) });
  }
  return entries;
}

/**
 * The files (blobs, symbolic links, submodules) of `commit` under the repository-relative folder
 * `under` ("" for all), recursively.
 */
export async function listTreeFiles(repo: Repo, commit: string, under = ""): Promise<TreeEntry[]> {
  const oid = await resolveCommit(repo, commit);
  checkRepoPath(under);
  const out = await git(repo, ["ls-tree", "-r", "-z", "-l", "--full-tree", oid, "--", ...(under ? [under] : [])], { maxBuffer: 512 * 1024 * 1024 });
  return parseLsTree(out);
}

/**
 * The content of a regular file at `commit` (repository-relative POSIX path), or null when the
 * commit has no such path. Refuses a symbolic link, a submodule, a folder, and a blob larger than
 * `maxBytes`. The bytes are the committed ones: `git cat-file blob` applies no filters.
 */
export async function readBlobAtCommit(repo: Repo, commit: string, repoPath: string, maxBytes: number): Promise<Buffer | null> {
  const oid = await resolveCommit(repo, commit);
  checkRepoPath(repoPath);
  if (repoPath === "") throw new Error("the repository's top level is a folder, not a file");
  const entry = parseLsTree(await git(repo, ["ls-tree", "-z", "-l", "--full-tree", oid, "--", repoPath])).find((e) => e.path === repoPath);
  if (!entry) return null;
  const at = `${repoPath} at ${oid.slice(0, 12)}`;
  if (entry.mode === "120000") throw new Error(`${at} is a symbolic link; not read`);
  if (entry.type === "commit") throw new Error(`${at} is a submodule; not read`);
  if (entry.type !== "blob") throw new Error(`${at} is a folder, not a file`);
  if (entry.size === null || entry.size > maxBytes) throw new Error(`${at} is ${entry.size} bytes, more than the ${maxBytes} allowed`);
  const data = await git(repo, ["cat-file", "blob", entry.oid], { maxBuffer: Math.max(entry.size, 1) + 1 });
  return data;
}

/** What git says the work tree under a folder holds. Paths are repository-relative, POSIX. */
export interface WorkTreeFiles {
  /** Paths in the index, including the files of checked-out submodules. */
  tracked: string[];
  /** Untracked files that no ignore rule (.gitignore, info/exclude, `exclude`) matches. */
  untracked: string[];
  /** Untracked places git did not list the files of: nested repositories, unreadable folders. */
  unlisted: { path: string; reason: string }[];
}

/**
 * `git ls-files` for the repository-relative folder `subPath` ("" for all): the tracked files
 * (whatever .gitignore says) and the untracked files no ignore rule matches. `exclude` adds
 * gitignore-style patterns for untracked files only; `tracked: false` lists the untracked files only.
 */
export async function listWorkTreeFiles(repo: Repo, subPath: string, opts: { exclude?: readonly string[]; tracked?: boolean } = {}): Promise<WorkTreeFiles> {
  checkRepoPath(subPath);
  const spec = subPath ? ["--", subPath] : [];
  // Both lists at once: read-only commands (no optional locks), so they may run side by side.
  const [cached, others] = await Promise.all([
    opts.tracked === false ? null : run(repo, ["ls-files", "-z", "--cached", "--full-name", "--recurse-submodules", ...spec], BIG_LISTING),
    listOthers(repo, spec, opts.exclude),
  ]);
  return { ...others, tracked: cached ? [...new Set(splitNul(cached.stdout))] : [] };
}

const BIG_LISTING = { maxBuffer: 512 * 1024 * 1024 };
const splitNul = (b: Buffer) =>
  b
    .toString("utf8")
    .split("\0")
    .filter((p) => p !== "");

/** The untracked files no ignore rule matches, and the places git did not list (see WorkTreeFiles). */
async function listOthers(repo: Repo, spec: string[], exclude: readonly string[] | undefined): Promise<Omit<WorkTreeFiles, "tracked">> {
  const excludes = (exclude ?? []).filter((p) => p.trim() !== "" && !p.startsWith("#")).map((p) => `--exclude=${p}`);
  const others = await run(repo, ["ls-files", "-z", "--others", "--exclude-standard", "--full-name", ...excludes, ...spec], BIG_LISTING);
  const untracked: string[] = [];
  const unlisted: WorkTreeFiles["unlisted"] = [];
  for (const p of splitNul(others.stdout)) {
    // A folder (trailing slash) holding its own `.git`: git does not list what is inside.
    if (p.endsWith("/")) unlisted.push({ path: p.slice(0, -1), reason: "a nested git repository (not part of this repository's files)" });
    else untracked.push(p);
  }
  for (const line of others.stderr.split("\n")) {
    const m = /^warning: (?:could not open directory|unable to access) '(.*)': ([^']*)$/.exec(line);
    if (m) unlisted.push({ path: m[1]!.replace(/\/$/, ""), reason: `git could not read it: ${m[2]}` });
    else {
      // git cuts its messages at 4 KiB, so a very long path loses its end (and the reason).
      const cut = /^warning: (?:could not open directory|unable to access) '(.*\/)/.exec(line);
      if (cut) unlisted.push({ path: cut[1]!.replace(/\/$/, ""), reason: "git could not read a path below this folder (its name is too long to report)" });
    }
  }
  return { untracked, unlisted };
}

/**
 * listWorkTreeFiles and unchangedBlobIds in one: the tracked files come from the index's listing
 * with blob ids (`--stage`) unless it has submodules, whose files only `--cached` lists; one git
 * process fewer. `blobIds` comes later, and is empty when git could not say which files are unchanged.
 */
export async function listWorkTreeWithBlobIds(
  repo: Repo,
  subPath: string,
  opts: { exclude?: readonly string[] } = {},
): Promise<WorkTreeFiles & { blobIds: Promise<Map<string, string>> }> {
  checkRepoPath(subPath);
  const spec = subPath ? ["--", subPath] : [];
  const changed = run(repo, ["diff-files", "-z", "--name-only", ...spec], BIG_LISTING).then(
    (r) => new Set(splitNul(r.stdout)),
    () => null,
  );
  const [staged, others] = await Promise.all([
    run(repo, ["ls-files", "-z", "--stage", "--full-name", ...spec], BIG_LISTING),
    listOthers(repo, spec, opts.exclude),
  ]);
  const records = staged.stdout.toString("utf8").split("\0");
  let tracked: string[] | undefined = [];
  for (const record of records) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    // A submodule (a gitlink): its checked-out files are listed by --cached --recurse-submodules only.
    if (record.startsWith("160000 ")) {
      tracked = undefined;
      break;
    }
    tracked.push(record.slice(tab + 1));
  }
  tracked = tracked
    ? [...new Set(tracked)]
    : [...new Set(splitNul((await run(repo, ["ls-files", "-z", "--cached", "--full-name", "--recurse-submodules", ...spec], BIG_LISTING)).stdout))];
  // The ids come when diff-files is done (it reads every file's status): the caller works meanwhile.
  const blobIds = changed.then((modified) => (modified ? blobIdsOf(records, modified) : new Map<string, string>()));
  return { tracked, ...others, blobIds };
}

/** The blob ids of `ls-files --stage` records: regular files at stage 0, unless modified. */
function blobIdsOf(records: readonly string[], modified: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const record of records) {
    // "<mode> <oid> <stage>\t<path>"; only regular files (100644, 100755) at stage 0 (no conflicts).
    // Read by position: a regular expression per record cost more than the rest of the walk's parsing.
    if (!(record.startsWith("100644 ") || record.startsWith("100755 "))) continue;
    const end = record.indexOf(" ", 7);
    if (end < 47 || end > 71 || !record.startsWith(" 0\t", end) || record.length <= end + 3) continue;
    const oid = record.slice(7, end);
    if (!HEX_ID.test(oid)) continue;
    const path = record.slice(end + 3);
    if (!modified.has(path)) out.set(path, oid);
  }
  return out;
}

const HEX_ID = /^[0-9a-f]+$/;
