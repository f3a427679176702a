// The Action (runAction from the sources) with aigate.yml: on a pull request the file is read from
// the base commit through the contents API of the loopback server (a checkout without history),
// the change's edit to it is pending; inputs left at their defaults take the file's values.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jest } from "@jest/globals";
import { runAction } from "../../src/action.js";
import { FakeGitHub } from "../github/helpers/fake-github.js";
import { OpenApi } from "../github/helpers/openapi.js";
import { BASE_PACK, PACK_SHA, SHARED_PACK } from "../packs/helpers.js";
import { exampleRepo } from "./helpers.js";

let api: OpenApi;
beforeAll(() => {
  api = new OpenApi();
});

const BASE_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
const HEAD_SHA = "e5bd3914e2e596debea16f433f57875b5b90bcd6";

async function action(workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "aigate-runner-"));
  const output = join(dir, "output");
  writeFileSync(output, "");
  const saved = { ...process.env };
  try {
    for (const k of Object.keys(process.env)) if (k.startsWith("INPUT_") || k.startsWith("GITHUB_")) delete process.env[k];
    for (const [k, v] of Object.entries({ comment: "false", review: "false", annotations: "false", ...inputs })) process.env[`INPUT_${k.toUpperCase()}`] = v;
    Object.assign(process.env, { GITHUB_OUTPUT: output, RUNNER_TEMP: dir, AIGATE_PACK_CACHE: join(dir, "packs") }, env);
    await runAction({ ...process.env, GITHUB_WORKSPACE: workspace } as NodeJS.ProcessEnv);
  } finally {
    process.env = saved;
  }
  const failed = process.exitCode === 1;
  process.exitCode = 0;
  const outputs = Object.fromEntries(
    [...readFileSync(output, "utf8").matchAll(/^([\w-]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]),
  );
  return { failed, outputs, report: outputs["report-path"] ? JSON.parse(readFileSync(outputs["report-path"], "utf8")) : null };
}

test("off pull requests the checkout's aigate.yml applies; an input other than its default overrides it", async () => {
  const ws = exampleRepo("ops-agent", { "aigate.yml": "apiVersion: aigate/v1\nfailOn: never\noutputs: {report: out/report.json}\n" });
  const byFile = await action(ws, { "fail-on": "error", "github-token": "" });
  expect(byFile.failed).toBe(false);
  expect(byFile.outputs["report-path"]).toBe(join(ws, "out/report.json"));
  expect(byFile.report.config).toEqual({ file: "aigate.yml", source: "the checkout" });
  const overridden = await action(ws, { "fail-on": "warning", "github-token": "" });
  expect(overridden.failed).toBe(true);
  expect(overridden.report.summary.failOn).toBe("warning");
});

test("on a pull request the base commit's aigate.yml applies (contents API) and the change's edit is pending", async () => {
  const gh = new FakeGitHub(api);
  const url = await gh.start();
  try {
    const ws = exampleRepo("ops-agent", { "aigate.yml": "apiVersion: aigate/v1\nfailOn: never\n" });
    gh.state.baseFiles = { "aigate.yml": "apiVersion: aigate/v1\nfailOn: error\n", "ai-system.yaml": readFileSync(join(ws, "ai-system.yaml"), "utf8") };
    gh.state.files = [{ filename: "aigate.yml", status: "modified", patch: "@@ -1,2 +1,2 @@\n apiVersion: aigate/v1\n-failOn: error\n+failOn: never" }];
    const event = join(mkdtempSync(join(tmpdir(), "aigate-event-")), "event.json");
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: {
          number: 7,
          user: { login: "octocat" },
          head: { sha: HEAD_SHA, repo: { full_name: "acme/agent", fork: false } },
          base: { sha: BASE_SHA, ref: "main", repo: { full_name: "acme/agent" } },
        },
        repository: { full_name: "acme/agent" },
      }),
    );
    const r = await action(
      ws,
      { "fail-on": "error", "github-token": "ghs_test" },
      { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: "acme/agent", GITHUB_API_URL: url, GITHUB_SHA: HEAD_SHA },
    );
    expect(gh.violations).toEqual([]);
    expect(r.failed).toBe(true);
    expect(r.report.config.source).toBe(`the base commit ${BASE_SHA.slice(0, 12)} (GitHub API)`);
    expect(r.report.pending).toContainEqual(expect.objectContaining({ kind: "config", path: "aigate.yml" }));
    expect(Number(r.outputs["pending-exceptions"])).toBeGreaterThanOrEqual(1);
    expect(r.report.repository).toEqual({ name: "acme/agent", commit: HEAD_SHA });
    expect(gh.requests.some((q) => q.operationId === "repos/get-content" && q.path.endsWith("/contents/aigate.yml"))).toBe(true);
  } finally {
    await gh.stop();
  }
}, 60000);

test("a pinned pack named in aigate.yml is fetched with pack-token and recorded; github-token stays for this repository", async () => {
  const gh = new FakeGitHub(api);
  const url = await gh.start();
  try {
    const ref = `github:acme/ai-policy/packs/base.yaml@${PACK_SHA}`;
    gh.state.repos = { "acme/ai-policy": { commits: { [PACK_SHA]: { "packs/base.yaml": BASE_PACK, "packs/shared/overrides.yaml": SHARED_PACK } } } };
    gh.state.denyTokens = ["ghs_repo_only"];
    const ws = exampleRepo("support-assistant", { "aigate.yml": `apiVersion: aigate/v1\npacks: ["${ref}"]\n` });
    const denied = await action(ws, { "github-token": "ghs_repo_only" }, { GITHUB_API_URL: url, GITHUB_REPOSITORY: "acme/support" });
    expect(denied.failed).toBe(true);
    expect(denied.report).toBeNull();
    const r = await action(
      ws,
      { "github-token": "ghs_repo_only", "pack-token": "ghs_policy_reader" },
      { GITHUB_API_URL: url, GITHUB_REPOSITORY: "acme/support" },
    );
    expect(r.report.policy.sources).toEqual([expect.objectContaining({ ref, pinned: true, resolved: PACK_SHA })]);
    expect(r.report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain("acme-guardrail-required");
    expect(gh.violations).toEqual([]);
  } finally {
    await gh.stop();
  }
}, 60000);

test("a located error in aigate.yml or an in-repository pack is an error annotation on its line", async () => {
  const out: string[] = [];
  const spy = jest
    .spyOn(process.stdout, "write")
    .mockImplementation(((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write);
  try {
    const cfg = exampleRepo("support-assistant", { "aigate.yml": "apiVersion: aigate/v1\nfailOn: error\nfialOn: never\n" });
    expect((await action(cfg, { "github-token": "" })).failed).toBe(true);
    const pack = exampleRepo("support-assistant", {
      "policies/acme.yaml": "apiVersion: aigate/v1\nkind: PolicyPack\nname: acme\nversion: 1.0.0\nrules:\n  - id: x\n    nonsense: 1\n",
    });
    expect((await action(pack, { "github-token": "", policy: "policies/acme.yaml" })).failed).toBe(true);
  } finally {
    spy.mockRestore();
  }
  const text = out.join("");
  expect(text).toMatch(/::error title=Invalid aigate configuration,file=aigate\.yml,line=3,col=1::/);
  expect(text).toMatch(/::error title=Invalid aigate configuration,file=policies\/acme\.yaml,line=\d+,col=\d+::/);
});

test("the standard input adds the standard's matrix to the job summary; an unknown one fails the step", async () => {
  const ws = exampleRepo("support-assistant");
  const summary = join(mkdtempSync(join(tmpdir(), "aigate-summary-")), "summary.md");
  writeFileSync(summary, "");
  const r = await action(ws, { "github-token": "", standard: "eu-ai-act" }, { GITHUB_STEP_SUMMARY: summary });
  expect(r.report).not.toBeNull();
  expect(readFileSync(summary, "utf8")).toMatch(/controls by clause[\s\S]*\| clause \| control \| status \|/);
  writeFileSync(summary, "");
  const bad = await action(ws, { "github-token": "", standard: "eu-ai-akt" }, { GITHUB_STEP_SUMMARY: summary });
  expect(bad.failed).toBe(true);
  expect(readFileSync(summary, "utf8")).toMatch(/not run[\s\S]*did you mean/);
});
