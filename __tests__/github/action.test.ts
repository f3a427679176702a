// The bundled Action (dist/index.js), run the way GitHub runs it: INPUT_* variables, a workspace,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Asserts workflow commands, summary, outputs, exit status.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../src/util/package-root.js";

const root = packageRoot();

// These tests run the committed bundle in dist/, as users do; CI checks that it is fresh.

function runAction(example: string, inputs: Record<string, string>) {
  const workspace = mkdtempSync(join(tmpdir(), "aigate-ws-"));
  cpSync(join(root, "examples", example), join(workspace, "svc"), { recursive: true });
  const output = join(workspace, "..", `${workspace.split("/").pop()}-output`);
  const summary = join(workspace, "..", `${workspace.split("/").pop()}-summary`);
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: tmpdir(),
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, "_").toUpperCase()}`] = v;
  const r = spawnSync(process.execPath, [join(root, "dist", "index.js")], { cwd: workspace, env, encoding: "utf8" });
  const outputs = Object.fromEntries(
    [...readFileSync(output, "utf8").matchAll(/^([\w-]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]),
  );
  return { status: r.status, stdout: r.stdout, summary: readFileSync(summary, "utf8"), outputs, workspace };
}

test("a failing system: annotations at workspace paths, summary with the control matrix, outputs, exit 1", () => {
  const r = runAction("ops-agent", { path: "svc", "fail-on": "error" });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(
    /::error title=A tool has admin privileges \[tool-admin-privilege\],file=svc\/ai-system\.yaml,line=55,col=17::tool github gives the model admin privileges/,
  );
  expect(r.stdout).toMatch(/::error title=.*\[secrets-file-committed\],file=svc\/\.env,line=1,col=1::/);
  // 10 of each level at most, and the rest counted.
  const report = JSON.parse(readFileSync(r.outputs["report-path"]!, "utf8"));
  const open = report.summary.bySeverity as { error: number; warning: number; note: number };
  expect(open.warning).toBeGreaterThan(0);
  expect((r.stdout.match(/^::warning /gm) ?? []).length).toBe(Math.min(10, open.warning));
  expect((r.stdout.match(/^::notice /gm) ?? []).length).toBe(Math.min(10, open.note));
  const left = (n: number) => Math.max(0, n - 10);
  const omitted = left(open.error) + left(open.warning) + left(open.note);
  if (omitted)
    expect(r.stdout).toContain(`more findings (${left(open.error)} errors, ${left(open.warning)} warnings, ${left(open.note)} notes) are not annotated`);
  else expect(r.stdout).not.toContain("are not annotated");
  expect(r.stdout).toContain(`::error::aigate: gate failed: ${open.error} errors`);
  expect(r.summary).toContain("## aigate: ❌ failed");
  expect(r.summary).toMatch(/\| \[OVERSIGHT\]\(https:\/\/owaspai\.org\/go\/oversight\/\) \| ❌ failing \| implemented \|/);
  expect(r.outputs).toMatchObject({ passed: "false", errors: String(open.error), warnings: String(open.warning), notes: String(open.note), systems: "1" });
  expect(report.summary.passed).toBe(false);
});

test("a passing system: outputs say so and the step succeeds; fail-on never always passes", () => {
  const ok = runAction("support-assistant", { path: "svc" });
  expect(ok.status).toBe(0);
  expect(ok.outputs.passed).toBe("true");
  expect(ok.summary).toContain("## aigate: ✅ passed");
  const never = runAction("ops-agent", { path: "svc", "fail-on": "never" });
  expect(never.status).toBe(0);
  expect(never.outputs.passed).toBe("true");
});

test("a bad input fails the step with a clear message", () => {
  const r = runAction("support-assistant", { path: "svc", "fail-on": "sometimes" });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/::error::aigate: fail-on must be one of error, warning, note, never; got "sometimes"/);
});
