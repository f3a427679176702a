// The bundled Action on pull requests built as git commits, against the loopback API: what a pull
// request adds to the gate's own configuration is pending, and the default merge-commit checkout
// does not turn a new finding into a pre-existing one.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventFixtures } from "../../scripts/fixtures/github-events.js";
import { FakeGitHub, type PrFile } from "./helpers/fake-github.js";
import { OpenApi } from "./helpers/openapi.js";
import { ensureBundle, REPO_ROOT, runDist } from "./helpers/run-dist.js";

const FIXTURE = join(REPO_ROOT, "__tests__/github/fixtures/support-bot");
const INPUTS = { "github-token": "ghs_test", "fail-on": "note", scope: "changed", comment: "true", review: "true" };
/** Within a year of the run (a longer acceptance is itself a finding). */
const EXPIRES = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
const ACCEPT = `riskAcceptances:
  - id: RA-7
    control: SUPPLYCHAINMANAGE
    models: [model.pkl]
    justification: the pickle is produced by our own training job
    approver: lead@example.com
    expires: ${EXPIRES}
`;

let api: OpenApi;
beforeAll(async () => {
  await ensureBundle();
  api = new OpenApi();
});

interface Pr {
  ws: string;
  git: (...a: string[]) => string;
  base: string;
  head: string;
  files: PrFile[];
}

/** A repository whose base commit is the support-bot fixture, and a pull request head on top of it. */
function pullRequest(change: (ws: string) => void): Pr {
  const ws = mkdtempSync(join(tmpdir(), "aigate-trust-"));
  cpSync(FIXTURE, ws, { recursive: true });
  const git = (...a: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", ...a], { cwd: ws, stdio: "pipe" }).toString();
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "base");
  const base = git("rev-parse", "HEAD").trim();
  git("checkout", "-qb", "feature");
  change(ws);
  // Force-add: a committed file stays in the repository whatever .gitignore says.
  git("add", "-A", "-f");
  git("commit", "-qm", "change");
  const head = git("rev-parse", "HEAD").trim();
  return { ws, git, base, head, files: prFiles(git, base, head) };
}

/** The pull request's files as the API lists them: one patch (hunks only) per file. */
function prFiles(git: Pr["git"], from: string, to: string): PrFile[] {
  const names = git("diff", "--name-status", from, to).trim().split("\n").filter(Boolean);
  return names.map((l) => {
    const [s, filename] = l.split("\t") as [string, string];
    const patch = git("diff", "--unified=3", from, to, "--", filename).split("\n");
    const at = patch.findIndex((x) => x.startsWith("@@"));
    const status = s === "A" ? ("added" as const) : s === "D" ? ("removed" as const) : ("modified" as const);
    return { filename, status, ...(at >= 0 ? { patch: patch.slice(at).join("\n").replace(/\n$/, "") } : {}) };
  });
}

function event(pr: Pr) {
  const e = structuredClone(eventFixtures()["pull_request.opened.json"]) as { pull_request: { head: { sha: string }; base: { sha: string } } };
  e.pull_request.head.sha = pr.head;
  e.pull_request.base.sha = pr.base;
  return e;
}

/** A protocol-2 pickle of a plain dict: no imports, but a pickle-format model all the same. */
const PICKLE = Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]);

describe("the bundled Action trusts the base commit, not the pull request", () => {
  let gh: FakeGitHub;
  let apiUrl: string;
  beforeEach(async () => {
    gh = new FakeGitHub(api);
    apiUrl = await gh.start();
  });
  afterEach(async () => {
    await gh.stop();
  });

  test("a risk acceptance and a .gitignore line added with a new model are pending: the gate fails and says why", async () => {
    const pr = pullRequest((ws) => {
      writeFileSync(join(ws, "model.pkl"), PICKLE);
      writeFileSync(join(ws, ".gitignore"), "*.pkl\n");
      writeFileSync(join(ws, "ai-system.yaml"), readFileSync(join(ws, "ai-system.yaml"), "utf8") + ACCEPT);
    });
    gh.state.files = pr.files;
    const r = await runDist({ workspace: pr.ws, eventName: "pull_request", event: event(pr), inputs: INPUTS, apiUrl, runId: "701", sha: pr.head });
    expect(gh.violations).toEqual([]);
    const report = JSON.parse(readFileSync(join(pr.ws, "aigate-report.json"), "utf8"));
    const pickle = report.findings.find((f: { ruleId: string }) => f.ruleId === "model-pickle-format");
    expect(pickle).toMatchObject({ status: "open", path: "model.pkl" });
    expect(pickle.pendingException).toMatch(/RA-7/);
    expect(r.code).toBe(1);
    expect(r.outputs.passed).toBe("false");
    expect(Number(r.outputs["pending-exceptions"])).toBeGreaterThanOrEqual(1);
    expect(r.summary).toMatch(/adds 1 risk acceptance[^\n]*apply after review/);
    // Read from the base commit with git: no contents request was needed.
    expect(gh.requests.filter((x) => x.operationId === "repos/get-content")).toEqual([]);
  });

  test("without git history the base is read through the contents API; an acceptance already on the base counts", async () => {
    const pr = pullRequest((ws) => writeFileSync(join(ws, "model.pkl"), PICKLE));
    // The base already had the acceptance: the pull request adds only the model.
    const baseManifest = readFileSync(join(pr.ws, "ai-system.yaml"), "utf8") + ACCEPT;
    writeFileSync(join(pr.ws, "ai-system.yaml"), baseManifest);
    execFileSync("rm", ["-rf", join(pr.ws, ".git")]);
    gh.state.files = pr.files;
    gh.state.baseFiles = { "ai-system.yaml": baseManifest };
    const r = await runDist({ workspace: pr.ws, eventName: "pull_request", event: event(pr), inputs: INPUTS, apiUrl, runId: "702", sha: pr.head });
    expect(gh.violations).toEqual([]);
    const report = JSON.parse(readFileSync(join(pr.ws, "aigate-report.json"), "utf8"));
    expect(report.findings.find((f: { ruleId: string }) => f.ruleId === "model-pickle-format")).toMatchObject({ status: "accepted" });
    expect(report.pending).toEqual([]);
    expect(gh.requests.some((x) => x.operationId === "repos/get-content")).toBe(true);
    expect(r.code).toBe(0);

    // The same acceptance, absent from the base: pending, and the gate fails.
    gh.state.baseFiles = { "ai-system.yaml": readFileSync(join(FIXTURE, "ai-system.yaml"), "utf8") };
    const again = await runDist({ workspace: pr.ws, eventName: "pull_request", event: event(pr), inputs: INPUTS, apiUrl, runId: "703", sha: pr.head });
    expect(again.code).toBe(1);
  });

  test("an approval by an exception approver the base names lets pending exceptions count; the author's own does not", async () => {
    const pack = "apiVersion: aigate/v1\nkind: PolicyPack\nname: org\nversion: 1.0.0\nsettings:\n  exceptionApprovers: [security-lead]\n";
    const pr = pullRequest((ws) => {
      writeFileSync(join(ws, "model.pkl"), PICKLE);
      writeFileSync(join(ws, "ai-system.yaml"), readFileSync(join(ws, "ai-system.yaml"), "utf8") + ACCEPT);
    });
    writeFileSync(join(pr.ws, "org.yaml"), pack);
    pr.git("checkout", "-q", "main");
    pr.git("add", "org.yaml");
    pr.git("commit", "-qm", "org pack");
    const base = pr.git("rev-parse", "HEAD").trim();
    pr.git("checkout", "-q", "feature");
    pr.git("merge", "-q", "main");
    const head = pr.git("rev-parse", "HEAD").trim();
    const p = { ...pr, base, head, files: prFiles(pr.git, base, head) };
    gh.state.files = p.files;
    const inputs = { ...INPUTS, policy: "org.yaml" };
    gh.state.prReviews = [{ login: "Codertocat", state: "APPROVED", commit_id: head }];
    const own = await runDist({ workspace: p.ws, eventName: "pull_request", event: event(p), inputs, apiUrl, runId: "711", sha: head });
    expect(gh.violations).toEqual([]);
    expect(own.code).toBe(1);
    gh.state.prReviews = [{ login: "security-lead", state: "APPROVED", commit_id: "0000000000000000000000000000000000000000" }];
    expect((await runDist({ workspace: p.ws, eventName: "pull_request", event: event(p), inputs, apiUrl, runId: "712", sha: head })).code).toBe(1);
    gh.state.prReviews = [{ login: "security-lead", state: "APPROVED", commit_id: head }];
    const approved = await runDist({ workspace: p.ws, eventName: "pull_request", event: event(p), inputs, apiUrl, runId: "713", sha: head });
    expect(approved.code).toBe(0);
    expect(approved.summary).toMatch(/approved by security-lead/);
  });

  test("the default merge-commit checkout: a new error stays new (its lines are the merge commit's, not the head's)", async () => {
    const pr = pullRequest((ws) =>
      writeFileSync(
        join(ws, "ai-system.yaml"),
        readFileSync(join(ws, "ai-system.yaml"), "utf8") +
          "  - name: third\n    provider: openai\n    id: o1\n    source: { uri: 'https://example.com/models/third.bin' }\n",
      ),
    );
    // The base branch moves on: three lines at the top of the manifest shift every line below.
    pr.git("checkout", "-q", "main");
    writeFileSync(
      join(pr.ws, "ai-system.yaml"),
      "# owned by ml-platform\n# reviewed 2026-11\n# see docs\n" + readFileSync(join(pr.ws, "ai-system.yaml"), "utf8"),
    );
    pr.git("commit", "-qam", "main moves on");
    const baseNow = pr.git("rev-parse", "HEAD").trim();
    pr.git("merge", "-q", "--no-ff", "-m", "merge", "feature");
    const merge = pr.git("rev-parse", "HEAD").trim();
    gh.state.files = pr.files; // the PR's files: head line numbers
    const e = event({ ...pr, base: baseNow });
    const r = await runDist({ workspace: pr.ws, eventName: "pull_request", event: e, inputs: INPUTS, apiUrl, runId: "721", sha: merge });
    expect(gh.violations).toEqual([]);
    const report = JSON.parse(readFileSync(join(pr.ws, "aigate-report.json"), "utf8"));
    const open = report.findings.filter((f: { status: string }) => f.status === "open");
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((f: { path: string; line: number }) => f.path === "ai-system.yaml" && f.line >= 16)).toBe(true);
    expect(r.code).toBe(1);
    // Review comments need the head's line numbers: not posted from a merge checkout, and the summary says so.
    expect(gh.state.reviewComments).toEqual([]);
    expect(r.summary).toMatch(/not the pull request's head/);
  });
});
