import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diffFromGit, parsePatch, parseUnifiedDiff } from "../../src/github/diff.js";

test("a patch's added lines and the lines a review comment may use", () => {
  const patch = "@@ -1,4 +1,5 @@\n line one\n-old two\n+new two\n+added three\n line four\n\\ No newline at end of file\n@@ -20,2 +21,3 @@ def f():\n ctx\n+x\n ctx";
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
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", ...args], { cwd: repo, stdio: "pipe" });
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
