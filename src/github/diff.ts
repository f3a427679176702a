// The changes of a pull request (or of HEAD against a base ref), as the lines each file adds and the
// lines a review comment may be placed on. From the REST API's PR files (their `patch`) or from
// `git diff`. Both are unified diffs, so one parser serves both.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Octokit } from "./client.js";

export interface FileChange {
  /** Path in the head tree, repository-relative (or relative to the git folder for `git diff --relative`). */
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
      else if (l.startsWith("rename from ")) { status = "renamed"; previous = unquote(l.slice(12)); }
      else if (l.startsWith("rename to ")) path = unquote(l.slice(10));
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
    files.set(path, { path, status, previousPath: previous !== path ? previous : undefined, added, commentable, whole: binary || (status === "added" && added.size === 0) });
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
      bytes.push(...Buffer.from(c, "utf8"));
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
  return { source: "api", files, incomplete: entries.length >= 3000 };
}

const GIT_MAX_BUFFER = 64 * 1024 * 1024;

/**
 * Changes from the merge base of `base` and HEAD to the working tree, paths relative to `cwd`
 * (`--relative`), so the CLI's uncommitted edits count as changed too.
 */
export async function diffFromGit(cwd: string, base: string): Promise<Diff> {
  if (base.startsWith("-")) throw new Error(`invalid base ref "${base}"`);
  const run = promisify(execFile);
  const args = ["-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "--find-renames", "--relative", "--unified=3", "--merge-base", base, "--"];
  try {
    const { stdout } = await run("git", args, { cwd, maxBuffer: GIT_MAX_BUFFER, timeout: 120_000 });
    return { source: "git", files: parseUnifiedDiff(stdout), incomplete: false };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`git diff against ${base} failed: ${(err.stderr || err.message).trim().split("\n")[0]}`);
  }
}
