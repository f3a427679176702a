// End to end: the bundled Action (dist/index.js) run as GitHub runs it, against a loopback API
// server that validates every request with GitHub's REST OpenAPI description.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { eventFixtures } from "../../scripts/fixtures/github-events.js";
import { FakeGitHub } from "./helpers/fake-github.js";
import { OpenApi } from "./helpers/openapi.js";
import { ensureBundle, REPO_ROOT, runDist } from "./helpers/run-dist.js";

const FIXTURE = join(REPO_ROOT, "__tests__/github/fixtures/support-bot");
/** The PR adds the second model (lines 13-15 of the manifest); the rest of the files are as on the base. */
const SUPPORT_BOT_FILES = [
  {
    filename: "ai-system.yaml",
    status: "modified" as const,
    patch:
      "@@ -9,4 +9,7 @@ models:\n   - name: chat\n     provider: openai\n     id: gpt-4o\n     license: proprietary\n+  - name: summariser\n+    provider: openai\n+    id: gpt-4o-mini",
  },
  { filename: "requirements.txt", status: "modified" as const, patch: "@@ -1 +1,2 @@\n openai==1.51.0\n+fastapi==0.115.0" },
];

let api: OpenApi;
const events = eventFixtures();
const PR_INPUTS = {
  "github-token": "ghs_test",
  "fail-on": "warning",
  scope: "changed",
  comment: "true",
  review: "true",
  "check-run": "true",
  "sarif-file": "aigate.sarif",
};

function workspace(): string {
  const ws = mkdtempSync(join(tmpdir(), "aigate-ws-"));
  cpSync(FIXTURE, ws, { recursive: true });
  return ws;
}

function sarifValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, "schemas/vendor/sarif-schema-2.1.0.json"), "utf8")));
}

beforeAll(async () => {
  await ensureBundle();
  api = new OpenApi();
});

describe("the bundled Action on pull requests", () => {
  let gh: FakeGitHub;
  let apiUrl: string;
  beforeEach(async () => {
    gh = new FakeGitHub(api);
    gh.state.files = SUPPORT_BOT_FILES.map((f) => ({ ...f }));
    apiUrl = await gh.start();
  });
  afterEach(async () => {
    await gh.stop();
  });

  test("first run creates the sticky comment, one review and a check run; a second run updates them without duplicates", async () => {
    const ws = workspace();
    const first = await runDist({
      workspace: ws,
      eventName: "pull_request",
      event: events["pull_request.opened.json"],
      inputs: PR_INPUTS,
      apiUrl,
      runId: "101",
    });
    expect(gh.violations).toEqual([]);
    expect(first.stderr).toBe("");
    // Only the finding on an added line is open; the rest are pre-existing, so fail-on warning passes.
    expect(first.code).toBe(0);
    expect(first.outputs.passed).toBe("true");
    expect(Number(first.outputs["pre-existing"])).toBeGreaterThan(10);
    expect(first.outputs["github-feedback"]).toBe("posted");

    expect(gh.state.issueComments).toHaveLength(1);
    const comment = gh.state.issueComments[0]!.body;
    // One comment for the pull request: the marker first, then the gate's verdict, then a section per system.
    expect(comment).toMatch(/^<!-- aigate:sticky-comment v=2 key=[0-9a-f]{12} -->\n## aigate: ✅ passed\n/);
    expect(comment).toContain("### `support-bot`: ✅ passed");
    expect(comment).toMatch(/New in this pull request \(1\)/);
    expect(comment).toContain("ai-system.yaml:13");
    expect(comment).toContain("https://github.com/Codertocat/Hello-World/actions/runs/101");
    expect(first.outputs["comment-url"]).toMatch(/issuecomment-/);

    expect(gh.state.reviews).toHaveLength(1);
    expect(gh.state.reviewComments.map((c) => `${c.path}:${c.line}`)).toEqual(["ai-system.yaml:13"]);
    expect(gh.state.reviewComments[0]!.commit_id).toBe("ec26c3e57ca3a959ca5aad62de7213c562f8c821");
    expect(first.outputs["review-comments"]).toBe("1");

    expect(gh.state.checkRuns).toHaveLength(1);
    expect(gh.state.checkRuns[0]).toMatchObject({
      name: "aigate",
      status: "completed",
      conclusion: "success",
      head_sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
    });
    expect(gh.state.checkRuns[0]!.annotations).toHaveLength(1);

    // The SARIF file validates against the official schema and carries one category for the system.
    const sarif = JSON.parse(readFileSync(join(ws, "aigate.sarif"), "utf8"));
    const validate = sarifValidator();
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    expect(sarif.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).toEqual(["aigate/support-bot/"]);
    expect(first.summary).toContain("scope: changed");

    // Second push: same comment updated in place, no new review comment for the same finding.
    const second = await runDist({
      workspace: ws,
      eventName: "pull_request",
      event: events["pull_request.synchronize.json"],
      inputs: PR_INPUTS,
      apiUrl,
      runId: "102",
    });
    expect(gh.violations).toEqual([]);
    expect(second.code).toBe(0);
    expect(gh.state.issueComments).toHaveLength(1);
    expect(gh.state.issueComments[0]!.body).toContain("/actions/runs/102");
    expect(gh.requests.filter((r) => r.operationId === "issues/create-comment")).toHaveLength(1);
    expect(gh.requests.filter((r) => r.operationId === "issues/update-comment")).toHaveLength(1);
    expect(gh.requests.filter((r) => r.operationId === "pulls/create-review")).toHaveLength(1);
    expect(gh.state.reviewComments).toHaveLength(1);
    expect(second.outputs["review-comments"]).toBe("0");
  });

  test("push and workflow_dispatch: scope from git diff against the push's before (or the base input), a check run, no PR sinks", async () => {
    const ws = workspace();
    const git = (...a: string[]) =>
      execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", ...a], { cwd: ws, stdio: "pipe" })
        .toString()
        .trim();
    const original = readFileSync(join(ws, "ai-system.yaml"), "utf8");
    writeFileSync(join(ws, "ai-system.yaml"), original.split("\n").slice(0, 12).join("\n") + "\n");
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "base");
    const before = git("rev-parse", "HEAD");
    writeFileSync(join(ws, "ai-system.yaml"), original);
    git("commit", "-qam", "add a model");
    const after = git("rev-parse", "HEAD");
    const push = { ...events["push.json"], before, after, ref: "refs/heads/main" };
    const inputs = { ...PR_INPUTS, "sarif-file": "" };
    const r = await runDist({ workspace: ws, eventName: "push", event: push, inputs, apiUrl, runId: "401", sha: after });
    expect(gh.violations).toEqual([]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(Number(r.outputs["pre-existing"])).toBeGreaterThan(10);
    expect(r.outputs["github-feedback"]).toBe("posted");
    expect(gh.requests.map((x) => x.operationId)).toEqual(["checks/create"]);
    expect(gh.state.checkRuns[0]).toMatchObject({ head_sha: after, conclusion: "success" });

    const dispatch = await runDist({
      workspace: ws,
      eventName: "workflow_dispatch",
      event: events["workflow_dispatch.json"],
      inputs: { ...inputs, base: before, "check-run": "false" },
      apiUrl,
      runId: "402",
      sha: after,
    });
    expect(dispatch.code).toBe(0);
    expect(dispatch.outputs["pre-existing"]).toBe(r.outputs["pre-existing"]);
    expect(dispatch.outputs["github-feedback"]).toBe("off");
    // Without a base, scope changed cannot apply: every finding gates (fail safe), and the summary says why.
    const noBase = await runDist({
      workspace: ws,
      eventName: "workflow_dispatch",
      event: events["workflow_dispatch.json"],
      inputs: { ...inputs, "check-run": "false" },
      apiUrl,
      runId: "403",
      sha: after,
    });
    expect(noBase.code).toBe(1);
    expect(noBase.summary).toContain("scope: changed could not be applied");
    expect(gh.requests).toHaveLength(1);
  });

  test("a fork PR's read-only token: no crash, no red step, one notice of the fallback", async () => {
    gh.readOnly = true;
    const ws = workspace();
    const r = await runDist({ workspace: ws, eventName: "pull_request", event: events["pull_request.fork.json"], inputs: PR_INPUTS, apiUrl, runId: "201" });
    expect(gh.violations).toEqual([]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/::error::/);
    const fallback = r.annotations.filter((a) => a.line.includes("could not post pull-request feedback"));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]!.line).toContain("comes from a fork");
    expect(r.outputs["github-feedback"]).toBe("degraded");
    expect(r.outputs.passed).toBe("true");
    // The PR's files are readable; after the first 403 on a write, no more writes are tried.
    expect(gh.requests.some((x) => x.operationId === "pulls/list-files" && x.status === 200)).toBe(true);
    expect(gh.writes()).toHaveLength(1);
    expect(gh.writes()[0]!.status).toBe(403);
    expect(r.summary).toContain("aigate");
  });

  test("more findings than every limit: batched check annotations, a comment cut to size, a capped review", async () => {
    const ws = mkdtempSync(join(tmpdir(), "aigate-ws-big-"));
    const files = bigRepository(ws, 190);
    gh.state.files = files;
    const r = await runDist({
      workspace: ws,
      eventName: "pull_request",
      event: events["pull_request.opened.json"],
      inputs: { ...PR_INPUTS, scope: "all", "fail-on": "error" },
      apiUrl,
      runId: "301",
    });
    expect(gh.violations).toEqual([]);
    expect(r.stderr).toBe("");
    expect(r.outputs["github-feedback"]).toBe("posted");
    const open = Number(r.outputs.errors) + Number(r.outputs.warnings) + Number(r.outputs.notes);
    expect(open).toBeGreaterThan(400);
    // Workflow commands: at most 10 per type, the rest counted.
    for (const level of ["error", "warning", "notice"])
      expect(r.annotations.filter((a) => a.level === level && a.line.includes("file=")).length).toBeLessThanOrEqual(10);
    expect(r.stdout).toMatch(/more findings .* are not annotated/);
    // Check run: every open finding, 50 per request.
    const run = gh.state.checkRuns[0]!;
    expect(run.annotations).toHaveLength(open);
    const checkWrites = gh.requests.filter((x) => x.operationId === "checks/create" || x.operationId === "checks/update");
    expect(checkWrites).toHaveLength(Math.ceil(open / 50));
    expect(run.status).toBe("completed");
    // One comment for the pull request (a section per system), under 65,536 characters, linking to the job summary for the rest.
    expect(gh.state.issueComments).toHaveLength(1);
    for (const c of gh.state.issueComments) {
      expect(c.body.length).toBeLessThanOrEqual(65536);
      expect(c.body).toMatch(/more in the \[job summary\]\(https:\/\/github.com\/Codertocat\/Hello-World\/actions\/runs\/301/);
    }
    // One review, at most 100 comments, the rest counted in its body.
    expect(gh.state.reviews).toHaveLength(1);
    expect(gh.state.reviews[0]!.comments).toBeLessThanOrEqual(100);
    expect(gh.state.reviews[0]!.body).toMatch(/more on changed lines are not commented here/);
    // SARIF: valid, one run per system with its own category.
    const sarif = JSON.parse(readFileSync(join(ws, "aigate.sarif"), "utf8"));
    const validate = sarifValidator();
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    expect(sarif.runs.map((x: { automationDetails: { id: string } }) => x.automationDetails.id).sort()).toEqual(["aigate/zoo-a/", "aigate/zoo-b/"]);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^zoo-[ab]\/ai-system\.yaml$/);
  }, 180_000);
});

/** Two systems whose manifests each declare `models` models without a licence (one note each, on its own line); 200 is the schema's maximum. */
function bigRepository(ws: string, models: number) {
  return ["zoo-a", "zoo-b"].map((name) => {
    mkdirSync(join(ws, name), { recursive: true });
    const lines = [
      "apiVersion: aigate/v1",
      `name: ${name}`,
      "description: Many hosted models.",
      "owner: { team: ml, contact: ml@example.com }",
      "profile:",
      "  isGenAI: true",
      "models:",
    ];
    for (let i = 0; i < models; i++) lines.push(`  - { name: model-${i}, provider: openai, id: gpt-${i} }`);
    writeFileSync(join(ws, name, "ai-system.yaml"), lines.join("\n") + "\n");
    const patch = `@@ -0,0 +1,${lines.length} @@\n` + lines.map((l) => `+${l}`).join("\n");
    return { filename: `${name}/ai-system.yaml`, status: "added" as const, patch };
  });
}
