import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diffBetween, diffFromGit, parsePatch, parseUnifiedDiff } from "../../src/github/diff.js";
import { findRepository } from "../../src/util/git.js";
import { makeRepo, tempDir as newDir } from "../helpers/git-repo.js";

test("a patch's added lines and the lines a review comment may use", () => {
  const patch =
    "@@ -1,4 +1,5 @@\n line one\n-old two\n+new two\n+added three\n line four\n\\ No newline at end of file\n@@ -20,2 +21,3 @@ def f():\n ctx\n+x\n ctx";
  const { added, commentable } = parsePatch(patch);
  expect([...added]).toEqual([2, 3, 22]);
  expect([...commentable].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 21, 22, 23]);
});

test("git diff output: modified, added, renamed, deleted, binary and quoted paths", () => {
  const text = [
    "diff --git a/src/a.py b/src/a.py",
    "index 1..2 100644",
    "--- a/src/a.py",
    "+++ b/src/a.py",
    "@@ -3,0 +4,2 @@",
    "+x = 1",
    "+y = 2",
    "diff --git a/new.txt b/new.txt",
    "new file mode 100644",
    "--- /dev/null",
    "+++ b/new.txt",
    "@@ -0,0 +1 @@",
    "+hello",
    "diff --git a/old.md b/renamed.md",
    "similarity index 100%",
    "rename from old.md",
    "rename to renamed.md",
    "diff --git a/gone.txt b/gone.txt",
    "deleted file mode 100644",
    "--- a/gone.txt",
    "+++ /dev/null",
    "@@ -1 +0,0 @@",
    "-bye",
    "diff --git a/model.bin b/model.bin",
    "new file mode 100644",
    "Binary files /dev/null and b/model.bin differ",
    'diff --git "a/d\\303\\251j\\303\\240.txt" "b/d\\303\\251j\\303\\240.txt"',
    '--- "a/d\\303\\251j\\303\\240.txt"',
    '+++ "b/d\\303\\251j\\303\\240.txt"',
    "@@ -1 +1 @@",
    "-a",
    "+b",
    "",
  ].join("\n");
  const files = parseUnifiedDiff(text);
  expect([...files.keys()].sort()).toEqual(["déjà.txt", "model.bin", "new.txt", "renamed.md", "src/a.py"]);
  expect([...files.get("src/a.py")!.added]).toEqual([4, 5]);
  expect(files.get("new.txt")).toMatchObject({ status: "added", whole: false });
  expect(files.get("renamed.md")).toMatchObject({ status: "renamed", previousPath: "old.md", whole: false });
  expect(files.get("renamed.md")!.added.size).toBe(0);
  expect(files.get("model.bin")!.whole).toBe(true);
  expect([...files.get("déjà.txt")!.added]).toEqual([1]);
});

test("git diff from the merge base includes uncommitted edits, paths relative to the folder", async () => {
  const repo = mkdtempSync(join(tmpdir(), "aigate-git-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", ...args], { cwd: repo, stdio: "pipe" });
  git("init", "-q");
  mkdirSync(join(repo, "svc"));
  writeFileSync(join(repo, "svc/a.txt"), "1\n2\n3\n");
  writeFileSync(join(repo, "top.txt"), "t\n");
  git("add", "-A");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "feature");
  writeFileSync(join(repo, "svc/a.txt"), "1\n2\nthree\n4\n");
  git("commit", "-qam", "edit");
  writeFileSync(join(repo, "top.txt"), "t\nu\n");
  const whole = await diffFromGit(repo, "main");
  expect([...whole.files.keys()].sort()).toEqual(["svc/a.txt", "top.txt"]);
  expect([...whole.files.get("svc/a.txt")!.added]).toEqual([3, 4]);
  const sub = await diffFromGit(join(repo, "svc"), "main");
  expect([...sub.files.keys()]).toEqual(["a.txt"]);
  await expect(diffFromGit(repo, "no-such-branch")).rejects.toThrow(/git diff against no-such-branch failed/);
  await expect(diffFromGit(repo, "--output=/tmp/x")).rejects.toThrow(/invalid base ref/);
});

// ---- git through src/util/git.ts ----

const tempDir = () => newDir("aigate-diff-");

test("a pull request that commits a git folder's files into the scanned folder runs nothing and hides no change", async () => {
  const marker = join(tempDir(), "pwned");
  // A real repository's git folder (HEAD, config, index, objects/, refs/) ...
  const evil = makeRepo({ "app.py": "decoy\n" });
  const { top, g } = makeRepo({ "svc/app.py": "print(1)\n", "top.txt": "t\n" });
  g("checkout", "-qb", "feature");
  cpSync(join(evil.top, ".git"), join(top, "svc"), { recursive: true });
  // ... whose config makes it a work tree and names a command for git to run on every index refresh.
  writeFileSync(join(top, "svc/config"), `[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n\tfsmonitor = "touch ${marker}"\n`);
  writeFileSync(join(top, "svc/app.py"), "print(1)\nimport pickle\n");
  g("add", "-A");
  g("commit", "-qm", "change");

  const diff = await diffFromGit(join(top, "svc"), "main");
  expect(existsSync(marker)).toBe(false);
  expect([...diff.files.get("app.py")!.added]).toEqual([2]);
  expect(diff.files.has("config")).toBe(true);
  expect(diff.files.has("HEAD")).toBe(true);
  expect([...diff.files.keys()].every((p) => !p.startsWith("svc/") && p !== "top.txt")).toBe(true);
  const between = await diffBetween(join(top, "svc"), "main", "feature");
  expect([...between.files.get("app.py")!.added]).toEqual([2]);
  expect(existsSync(marker)).toBe(false);
});

test("a sub-folder's diff holds only its own files (svc, not svc2), with untracked files as added", async () => {
  const { top, g } = makeRepo({ "svc/a.txt": "a\n", "svc2/b.txt": "b\n", ".gitignore": "*.log\n" });
  g("checkout", "-qb", "feature");
  writeFileSync(join(top, "svc/a.txt"), "a\nb\n");
  writeFileSync(join(top, "svc2/b.txt"), "b\nc\n");
  writeFileSync(join(top, "svc/new.py"), "x\n");
  writeFileSync(join(top, "svc/debug.log"), "ignored\n");
  const sub = await diffFromGit(join(top, "svc"), "main");
  expect([...sub.files.keys()].sort()).toEqual(["a.txt", "new.py"]);
  expect(sub.files.get("new.py")).toMatchObject({ status: "added", whole: true });
  const whole = await diffFromGit(top, "main");
  expect([...whole.files.keys()].sort()).toEqual(["svc/a.txt", "svc/new.py", "svc2/b.txt"]);
});

test("diffBetween compares two commits (a merge commit with its first parent), paths relative to the folder", async () => {
  const { top, g } = makeRepo({ "svc/a.txt": "1\n", "other.txt": "o\n" });
  g("checkout", "-qb", "topic");
  writeFileSync(join(top, "svc/a.txt"), "1\n2\n");
  writeFileSync(join(top, "other.txt"), "o\np\n");
  g("commit", "-qam", "topic");
  g("checkout", "-q", "main");
  g("-c", "user.email=t@example.com", "-c", "user.name=t", "merge", "-q", "--no-ff", "-m", "merge", "topic");
  writeFileSync(join(top, "svc/a.txt"), "uncommitted\n");
  const d = await diffBetween(join(top, "svc"), "HEAD^1", "HEAD");
  expect(d.source).toBe("git");
  expect([...d.files.keys()]).toEqual(["a.txt"]);
  expect([...d.files.get("a.txt")!.added]).toEqual([2]);
  const repo = (await findRepository(top))!;
  expect([...(await diffBetween(repo, "HEAD^1", "HEAD")).files.keys()].sort()).toEqual(["other.txt", "svc/a.txt"]);
  await expect(diffBetween(top, "-p", "HEAD")).rejects.toThrow(/invalid base ref/);
  await expect(diffBetween(top, "HEAD", "nope")).rejects.toThrow(/no commit named "nope"/);
});

test("a folder outside any git work tree gives a clear error", async () => {
  await expect(diffFromGit(tempDir(), "main")).rejects.toThrow(/git diff against main failed: .* is not inside a git work tree/);
});
