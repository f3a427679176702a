// Runs the bundled Action (dist/index.js) as the runner does: inputs as INPUT_* variables, the
// event payload in GITHUB_EVENT_PATH, the step's summary and output files, the workspace.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
export const DIST = join(REPO_ROOT, "dist/index.js");

export interface DistRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Workflow-command annotations written to stdout (`::error file=...::`). */
  annotations: { level: string; line: string }[];
}

export async function ensureBundle(): Promise<void> {
  if (existsSync(DIST)) return;
  await new Promise<void>((ok, fail) => execFile(process.execPath, [join(REPO_ROOT, "scripts/bundle.mjs")], { cwd: REPO_ROOT }, (e) => (e ? fail(e) : ok())));
}

/** Parses the GITHUB_OUTPUT file (`name<<delimiter` heredocs, as @actions/core writes them). */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (m) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
      out[m[1]!] = value.join("\n");
    } else if (lines[i]!.includes("=")) {
      const [k, ...v] = lines[i]!.split("=");
      out[k!] = v.join("=");
    }
  }
  return out;
}

export async function runDist(o: {
  workspace: string;
  eventName: string;
  event: unknown;
  inputs: Record<string, string>;
  apiUrl: string;
  runId: string;
  sha?: string;
}): Promise<DistRun> {
  const dir = mkdtempSync(join(tmpdir(), "aigate-runner-"));
  const eventPath = join(dir, "event.json");
  writeFileSync(eventPath, JSON.stringify(o.event));
  const summaryPath = join(dir, "summary.md");
  const outputPath = join(dir, "output.txt");
  writeFileSync(summaryPath, "");
  writeFileSync(outputPath, "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: "Codertocat/Hello-World",
    GITHUB_SHA: o.sha ?? "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
    GITHUB_REF: "refs/pull/2/merge",
    GITHUB_API_URL: o.apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: o.runId,
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    RUNNER_TEMP: dir,
  };
  for (const [k, v] of Object.entries(o.inputs)) env[`INPUT_${k.replace(/ /g, "_").toUpperCase()}`] = v;
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((ok) => {
    execFile(process.execPath, [DIST], { cwd: o.workspace, env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (e, stdout, stderr) => {
      ok({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
  const annotations = stdout
    .split("\n")
    .map((line) => ({ line, m: /^::(error|warning|notice)\b/.exec(line) }))
    .filter((x) => x.m)
    .map((x) => ({ level: x.m![1]!, line: x.line }));
  return { code, stdout, stderr, outputs: parseOutputs(readFileSync(outputPath, "utf8")), summary: readFileSync(summaryPath, "utf8"), annotations };
}
