// The changes of a pull request (or of HEAD against a base ref), as the lines each file adds and the
// lines a review comment may be placed on. From the REST API's PR files (their `patch`) or from
// `git diff` (run through src/util/git.ts). Both are unified diffs, so one parser serves both.
import { defaultIgnorePatterns, type UntrackedListing } from "../inventory/walk.js";
import { assertRef, findRepository, gitText, listWorkTreeFiles, mergeBase, pathInRepository, resolveCommit, type Repo } from "../util/git.js";
import type { Octokit } from "./client.js";
import { append } from "../util/append.js";

export interface FileChange {
  /** Path in the head tree: repository-relative from the API; relative to the scanned folder from git. */
  path: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  previousPath?: string;
  /** Head-side lines the change adds or edits. */
  added: Set<number>;
  /** Head-side lines inside a hunk (added or context): where GitHub accepts a review comment. */
  commentable: Set<number>;
  /** No patch to read (binary, too large, or a whole new file with no text): treat every line as changed. */
  whole: boolean;
}

export interface Diff {
  source: "api" | "git";
  files: Map<string, FileChange>;
  /** The API lists at most 3,000 files of a PR; past that, files are missing and everything counts as changed. */
  incomplete: boolean;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Head-side added and in-hunk lines of one file's patch (the hunks only, no `diff --git` header). */
export function parsePatch(patch: string): { added: Set<number>; commentable: Set<number> } {
  const added = new Set<number>();
  const commentable = new Set<number>();
  let line = 0;
  let inHunk = false;
  for (const text of patch.split("\n")) {
    const h = HUNK.exec(text);
    if (h) {
      line = Number(h[3]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const c = text[0];
    if (c === "+") {
      added.add(line);
      commentable.add(line);
      line++;
    } else if (c === " ") {
      commentable.add(line);
      line++;
    } else if (c === "-" || c === "\\") {
      // A deleted line or "\ No newline at end of file": no head-side line.
    } else if (text === "") {
      // Some producers drop the space of an empty context line; the final split piece is empty too.
      continue;
    } else inHunk = false;
  }
  return { added, commentable };
}

/** A `git diff` output with several files. Paths are the head side (`+++ b/...`). */
export function parseUnifiedDiff(text: string): Map<string, FileChange> {
  const files = new Map<string, FileChange>();
  const sections = text.split(/^diff --git /m).slice(1);
  for (const section of sections) {
    const lines = section.split("\n");
    let path: string | undefined;
    let previous: string | undefined;
    let status: FileChange["status"] = "modified";
    let binary = false;
    let i = 1;
    for (; i < lines.length && !lines[i]!.startsWith("@@"); i++) {
      const l = lines[i]!;
      if (l.startsWith("+++ ")) path = l === "+++ /dev/null" ? undefined : stripPrefix(unquote(l.slice(4)));
      else if (l.startsWith("--- ")) previous = l === "--- /dev/null" ? undefined : stripPrefix(unquote(l.slice(4)));
      else if (l.startsWith("new file mode")) status = "added";
      else if (l.startsWith("deleted file mode")) status = "removed";
      else if (l.startsWith("rename from ")) {
        status = "renamed";
        previous = unquote(l.slice(12));
      } else if (l.startsWith("rename to ")) path = unquote(l.slice(10));
      else if (l.startsWith("Binary files ")) {
        binary = true;
        const m = / and (?:"?b\/)?(.*?)"? differ$/.exec(l);
        if (m && m[1] !== "/dev/null") path = m[1];
      }
    }
    if (!path) {
      // Deleted files have no head side; a pure rename without content change names itself in the header.
      if (status === "removed") continue;
      const m = /^a\/(.*) b\/(.*)$/.exec(lines[0]!);
      if (!m) continue;
      path = m[2]!;
    }
    const { added, commentable } = parsePatch(lines.slice(i).join("\n"));
    files.set(path, {
      path,
      status,
      previousPath: previous !== path ? previous : undefined,
      added,
      commentable,
      whole: binary || (status === "added" && added.size === 0),
    });
  }
  return files;
}

function stripPrefix(p: string): string {
  return p.replace(/^[ab]\//, "");
}

/** git quotes paths with unusual bytes as C strings: "a/dir/\303\251.txt". */
function unquote(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, '"': 34, "\\": 92, a: 7, b: 8, f: 12, r: 13, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      append(bytes, Buffer.from(c, "utf8"));
      continue;
    }
    const n = body[i + 1]!;
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The PR's files from the REST API (`GET /repos/{owner}/{repo}/pulls/{pull_number}/files`, at most 3,000). */
export async function diffFromApi(octokit: Octokit, owner: string, repo: string, pullNumber: number): Promise<Diff> {
  const entries = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pullNumber, per_page: 100 });
  return { source: "api", files: apiFileChanges(entries), incomplete: entries.length >= 3000 };
}

/** One file entry as the REST API lists it (a pull request's files, or a comparison's). */
export interface ApiFileEntry {
  filename: string;
  status: FileChange["status"];
  patch?: string;
  previous_filename?: string;
}

/** The changed files of API file entries (removed files have no head side). */
export function apiFileChanges(entries: readonly ApiFileEntry[]): Map<string, FileChange> {
  const files = new Map<string, FileChange>();
  for (const e of entries) {
    if (e.status === "removed") continue;
    const parsed = e.patch ? parsePatch(e.patch) : { added: new Set<number>(), commentable: new Set<number>() };
    files.set(e.filename, {
      path: e.filename,
      status: e.status,
      previousPath: e.previous_filename,
      ...parsed,
      whole: !e.patch && e.status !== "renamed" && e.status !== "unchanged",
    });
  }
  return files;
}

const GIT_MAX_BUFFER = 64 * 1024 * 1024;

/** Flags for every `git diff`: nothing the repository or a user's configuration says changes the output's shape. */
const DIFF_FLAGS = [
  "diff",
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--find-renames",
  "--unified=3",
  "--src-prefix=a/",
  "--dst-prefix=b/",
  "--submodule=short",
  "--ignore-submodules=none",
];

interface Where {
  repo: Repo;
  /** The scanned folder, relative to the repository's top level ("" for the top). */
  sub: string;
}

async function locate(root: string | Repo): Promise<Where | null> {
  if (typeof root !== "string") return { repo: root, sub: "" };
  const repo = await findRepository(root);
  return repo ? { repo, sub: await pathInRepository(repo, root) } : null;
}

/** `git diff` from the top level, limited to `sub` with paths relative to it; `revs` are object ids. */
async function runDiff(w: Where, revs: string[]): Promise<Map<string, FileChange>> {
  const limit = w.sub ? [`--relative=${w.sub}/`] : [];
  const text = await gitText(w.repo, [...DIFF_FLAGS, ...limit, "--end-of-options", ...revs, "--", ...(w.sub ? [w.sub] : [])], { maxBuffer: GIT_MAX_BUFFER });
  return parseUnifiedDiff(text);
}

/**
 * Changes from the merge base of `base` and HEAD to the working tree, so the CLI's uncommitted
 * edits count as changed too; untracked files that no ignore rule matches count as added. `root` is
 * the scanned folder (the repository's top level or a folder inside it); paths are relative to it.
 * git runs from the top level through src/util/git.ts, never with `root` as its working folder.
 */
export async function diffFromGit(root: string, base: string, opts: { untracked?: Promise<UntrackedListing | null> } = {}): Promise<Diff> {
  assertBase(base);
  const fail = (why: string) => new Error(`git diff against ${base} failed: ${why}`);
  const w = await locate(root).catch((e: Error) => {
    throw fail(e.message);
  });
  if (!w) throw fail(`${root} is not inside a git work tree`);
  try {
    const from = await mergeBase(w.repo, base, "HEAD");
    const files = await runDiff(w, [from]);
    // A walk started beside the diff may have listed them already, with the same ignore rules.
    const listed = await opts.untracked;
    const untracked =
      listed && listed.gitDir === w.repo.gitDir && listed.sub === w.sub
        ? listed.paths
        : (await listWorkTreeFiles(w.repo, w.sub, { exclude: defaultIgnorePatterns(), tracked: false })).untracked;
    for (const p of untracked) {
      const path = w.sub ? p.slice(w.sub.length + 1) : p;
      if (!files.has(path)) files.set(path, { path, status: "added", added: new Set(), commentable: new Set(), whole: true });
    }
    return { source: "git", files, incomplete: false };
  } catch (e) {
    throw fail((e as Error).message.replace(/^git [a-z-]+ failed: /, ""));
  }
}

/**
 * Changes between two commits (e.g. a merge commit's first parent and the merge commit, or a
 * push's `before` and `after`), paths relative to `root` (a folder of the work tree) or to the top
 * level when given a `Repo`. The work tree is not read.
 */
export async function diffBetween(root: string | Repo, from: string, to: string): Promise<Diff> {
  assertBase(from);
  assertBase(to);
  const fail = (why: string) => new Error(`git diff ${from} ${to} failed: ${why}`);
  const w = await locate(root).catch((e: Error) => {
    throw fail(e.message);
  });
  if (!w) throw fail(`${typeof root === "string" ? root : root.top} is not inside a git work tree`);
  try {
    const a = await resolveCommit(w.repo, from);
    const b = await resolveCommit(w.repo, to);
    return { source: "git", files: await runDiff(w, [a, b]), incomplete: false };
  } catch (e) {
    throw fail((e as Error).message.replace(/^git [a-z-]+ failed: /, ""));
  }
}

function assertBase(ref: string): void {
  try {
    assertRef(ref);
  } catch {
    throw new Error(`invalid base ref "${ref}"`);
  }
}
