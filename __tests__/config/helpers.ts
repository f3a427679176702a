// Small repositories for the configuration and pack tests: folders with files, git history on demand,
// and the CLI run in-process with its output captured.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CommanderError } from "commander";
import { buildProgram } from "../../src/cli.js";
import { ConfigError } from "../../src/errors.js";
import { PackError } from "../../src/policy/load.js";
import { packageRoot } from "../../src/util/package-root.js";

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

/** A folder holding a copy of an example system (and the given files). */
export function exampleRepo(example: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "aigate-cfg-"));
  cpSync(join(packageRoot(), "examples", example), dir, { recursive: true });
  writeFiles(dir, files);
  return dir;
}

export type Git = (...args: string[]) => string;

/** Makes `dir` a git repository with everything in it committed; returns git and the commit. */
export function gitInit(dir: string): { git: Git; commit: string } {
  const git: Git = (...a) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", "-c", "core.hooksPath=/dev/null", ...a], {
      cwd: dir,
      stdio: "pipe",
    }).toString();
  git("init", "-q");
  git("add", "-A", "-f");
  git("commit", "-qm", "base");
  return { git, commit: git("rev-parse", "HEAD").trim() };
}

export function commitAll(git: Git, message: string): string {
  git("add", "-A", "-f");
  git("commit", "-qm", message);
  return git("rev-parse", "HEAD").trim();
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI in-process, as `main` runs it: exit 2 for usage and configuration errors. */
export async function aigate(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  let code = 0;
  const program = buildProgram({
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    setExit: (c) => (code = c),
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdoutIsTTY: false,
    stderrIsTTY: false,
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return { code: 2, stdout, stderr };
    if (e instanceof ConfigError || e instanceof PackError) return { code: 2, stdout, stderr: stderr + e.message + "\n" };
    throw e;
  }
  return { code, stdout, stderr };
}
