// Temporary folders and real git repositories for tests: each is removed after the test file.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      // A folder a test made too deep to remove this way: that test removes it.
    }
  }
});

/** A new empty folder (its real path), removed after the test file. */
export function tempDir(prefix = "aigate-test-"): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(d);
  return d;
}

/** Writes the files (relative paths), making their folders. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

/** A repository on branch `main` with the files in one commit; `g` runs git in it and returns its output. */
export function makeRepo(files: Record<string, string>, prefix = "aigate-repo-"): { top: string; g: (...args: string[]) => string } {
  const top = tempDir(prefix);
  const g = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", ...args], {
      cwd: top,
      stdio: "pipe",
    }).toString();
  g("init", "-q");
  writeFiles(top, files);
  g("add", "-A");
  g("commit", "-qm", "base");
  return { top, g };
}
