// The GitHub sinks against the loopback API (requests validated by GitHub's OpenAPI description):
// client retry and throttling, sticky comment, review, check run, and the fake server's own rules.
import { Ajv } from "ajv";
import { checkSummary, publishCheckRun, toAnnotation } from "../../src/github/checkrun.js";
import { createClient } from "../../src/github/client.js";
import {
  commentMarker,
  commentTargets,
  findStickyComments,
  MarkerSigner,
  readState,
  renderComment,
  renderCommentWithin,
  stateMarker,
  systemTag,
  upsertComment,
  type CommentContext,
} from "../../src/github/comment.js";
import type { Diff } from "../../src/github/diff.js";
import { parsePatch } from "../../src/github/diff.js";
import { planReview, postedFingerprints, postReview, REVIEW_MAX_COMMENTS } from "../../src/github/review.js";
import type { Finding, Severity } from "../../src/findings/types.js";
import type { Report } from "../../src/report/types.js";
import { FakeGitHub } from "./helpers/fake-github.js";
import { OpenApi } from "./helpers/openapi.js";

let api: OpenApi;
let gh: FakeGitHub;
let baseUrl: string;
beforeAll(() => {
  api = new OpenApi();
});
beforeEach(async () => {
  gh = new FakeGitHub(api);
  baseUrl = await gh.start();
});
afterEach(async () => {
  await gh.stop();
});

const client = () => createClient("ghs_test", { baseUrl, retryAfterBaseValue: 5 });
const where = { owner: "Codertocat", repo: "Hello-World" };

function finding(i: number, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: `rule-${i % 3}`,
    title: `Rule ${i % 3}`,
    control: "MONITORUSE",
    threats: ["PROMPTINJECTION"],
    severity: (["error", "warning", "note"] as Severity[])[i % 3]!,
    status: "open",
    message: `finding number ${i}`,
    path: "ai-system.yaml",
    line: i + 1,
    column: 3,
    fingerprint: i.toString(16).padStart(32, "a"),
    system: "bot",
    remediation: "Fix it.",
    link: "https://owaspai.org/go/monitoruse/",
    ...over,
  };
}

function report(findings: Finding[], passed = false): Report {
  return {
    reportVersion: "1",
    tool: { name: "aigate", version: "0.1.0" },
    generatedAt: "2026-11-27T00:00:00.000Z",
    today: "2026-11-27",
    root: ".",
    policy: { name: "p", version: "1", files: [], rules: 1 },
    systems: [
      {
        name: "bot",
        manifest: "ai-system.yaml",
        folder: "",
        evaluated: true,
        facts: { stated: {}, implied: {}, defaulted: {}, unstated: [] },
        threats: [],
        controls: [
          { id: "MONITORUSE", title: "Monitor use", link: "https://owaspai.org/go/monitoruse/", status: "fail", claimed: null, because: [], findings: 1 },
        ],
        summary: { errors: 1, warnings: 0, notes: 0, accepted: 0, passed },
      },
    ],
    findings,
    inventory: { files: 1, models: [], unscanned: [] },
    summary: { findings: findings.length, open: findings.length, accepted: 0, bySeverity: { error: 1, warning: 0, note: 0 }, failOn: "error", passed },
  };
}

describe("client", () => {
  test("retries server errors and honours a secondary rate limit's retry-after", async () => {
    gh.faults.push(
      { status: 502, message: "Bad gateway" },
      { status: 403, headers: { "retry-after": "1" }, message: "You have exceeded a secondary rate limit" },
    );
    const r = await client().rest.issues.listComments({ ...where, issue_number: 2 });
    expect(r.status).toBe(200);
    expect(gh.requests.map((x) => x.status)).toEqual([502, 403, 200]);
    expect(gh.violations).toEqual([]);
  });

  test("a 403 without retry-after (read-only token) is not retried", async () => {
    gh.readOnly = true;
    await expect(client().rest.issues.createComment({ ...where, issue_number: 2, body: "x" })).rejects.toMatchObject({ status: 403 });
    expect(gh.requests).toHaveLength(1);
  });
});

describe("the fake API enforces the contract", () => {
  test("a request the OpenAPI description does not allow is a violation", async () => {
    const octokit = client();
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/check-runs", {
        ...where,
        name: "x",
        head_sha: "a".repeat(40),
        output: { title: "t", summary: "s", annotations: [{ path: "a", start_line: 1, end_line: 1, annotation_level: "error" as "failure", message: "m" }] },
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/check-runs", {
        ...where,
        name: "x",
        head_sha: "a".repeat(40),
        output: {
          title: "t",
          summary: "s",
          annotations: Array.from({ length: 51 }, () => ({ path: "a", start_line: 1, end_line: 1, annotation_level: "notice", message: "m" })),
        },
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(octokit.request("GET /repos/{owner}/{repo}/no-such-thing", where)).rejects.toMatchObject({ status: 404 });
    expect(gh.violations).toHaveLength(3);
    expect(gh.violations[0]).toMatch(/annotation_level/);
    expect(gh.violations[1]).toMatch(/annotations must NOT have more than 50 items/);
  });

  test("comment size and review lines outside the diff are refused as GitHub refuses them", async () => {
    const octokit = client();
    await expect(octokit.rest.issues.createComment({ ...where, issue_number: 2, body: "x".repeat(65537) })).rejects.toMatchObject({ status: 422 });
    gh.state.files = [{ filename: "a.txt", status: "modified", patch: "@@ -1 +1,2 @@\n a\n+b" }];
    await expect(
      octokit.rest.pulls.createReview({
        ...where,
        pull_number: 2,
        commit_id: "c",
        event: "COMMENT",
        body: "b",
        comments: [{ path: "a.txt", line: 7, side: "RIGHT", body: "x" }],
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(gh.violations).toHaveLength(2);
  });
});

describe("sticky comment", () => {
  const signer = new MarkerSigner("state-secret", where.owner, where.repo);
  const ctx = (findings: Finding[], over: Partial<CommentContext> = {}): CommentContext => ({
    repoKey: signer.repoKey,
    passed: false,
    sections: [{ name: "bot", system: report(findings).systems[0]!, findings, fixed: [] }],
    failOn: "error",
    scope: "changed",
    runUrl: "https://github.com/o/r/actions/runs/9",
    previouslyOpen: null,
    knowsBase: true,
    state: (open) => stateMarker(open, signer, 2),
    ...over,
  });

  test("carries the verdict, counts, control matrix, new and fixed findings, and its signed state", () => {
    const fs = [finding(0), finding(1, { status: "pre-existing" }), finding(2, { status: "baselined" })];
    const c = ctx(fs, { previouslyOpen: { [systemTag("bot")]: ["bbbbbbbbbbbbbbbb"] } });
    c.sections[0]!.fixed = [{ fingerprint: "f".repeat(32), ruleId: "rule-x", system: "bot", path: "old.py", message: "old problem" }];
    const body = renderComment(c);
    expect(body.startsWith(commentMarker(signer.repoKey) + "\n")).toBe(true);
    expect(body.split("\n")[1]).toBe("## aigate: ❌ failed");
    expect(body).toContain("### `bot`: ❌ failed");
    expect(body).toContain("**1** error ·");
    expect(body).toContain("1 baselined · 1 pre-existing");
    expect(body).toMatch(/\[MONITORUSE\]\(https:\/\/owaspai.org\/go\/monitoruse\/\) \| ❌/);
    expect(body).toContain("New in this pull request (1)");
    expect(body).toContain("Fixed (1 since the baseline, 1 since the previous run)");
    expect(body).toContain("old problem");
    expect(readState(body, signer, 2)).toEqual({ [systemTag("bot")]: [finding(0).fingerprint.slice(0, 16)] });
    // Another pull request, another key, or no key: the state does not verify.
    expect(readState(body, signer, 3)).toBeNull();
    expect(readState(body, new MarkerSigner("other", where.owner, where.repo), 2)).toBeNull();
    expect(readState(body, new MarkerSigner(null, where.owner, where.repo), 2)).toBeNull();
    // Without a secret no state is written.
    expect(renderComment(ctx(fs, { state: (open) => stateMarker(open, new MarkerSigner(null, "o", "r"), 2) }))).not.toContain("aigate:state");
  });

  test("one section per system under the gate's verdict", () => {
    const rep = report([finding(0), finding(1, { system: "two" })], true);
    rep.systems.push({ ...rep.systems[0]!, name: "two", summary: { ...rep.systems[0]!.summary, passed: true } });
    rep.systems[0]!.summary.passed = false;
    const body = renderComment(ctx([], { passed: rep.summary.passed, sections: commentTargets(rep).map((t) => ({ ...t, fixed: [] })) }));
    expect(body.split("\n")[1]).toBe("## aigate: ✅ passed");
    expect(body).toContain("### `bot`: ❌ failed");
    expect(body).toContain("### `two`: ✅ passed");
    expect(body).toContain("2 systems");
  });

  test("stays within 65,536 characters and points to the job summary", () => {
    const fs = Array.from({ length: 400 }, (_, i) => finding(i, { message: `long ${"x".repeat(600)} ${i}` }));
    const body = renderCommentWithin(ctx(fs));
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body).toMatch(/…and \d+ more in the \[job summary\]\(https:\/\/github.com\/o\/r\/actions\/runs\/9\)/);
    expect(body.startsWith(commentMarker(signer.repoKey))).toBe(true);
    // Many systems: sections are cut, with a count and the link.
    const many = Array.from({ length: 3000 }, (_, i) => ({
      name: `system-${i}-${"n".repeat(200)}`,
      system: { ...report([]).systems[0]!, name: `system-${i}` },
      findings: fs.slice(0, 3),
      fixed: [],
    }));
    const big = renderCommentWithin(ctx([], { sections: many }));
    expect(big.length).toBeLessThanOrEqual(65536);
    expect(big).toMatch(/…and \d+ more systems in the \[job summary\]/);
    expect(readState(big, signer, 2)).not.toBeNull();
  });

  test("found again by its marker at the start of the bot's comments only, updated in place, deleted when clean on request", async () => {
    const octokit = client();
    const at = { ...where, issue: 2 };
    const who = { repoKey: signer.repoKey };
    const marker = commentMarker(signer.repoKey);
    gh.state.issueComments.push({ id: 1, body: `${marker}\nquoted by a person`, user: "octocat" });
    gh.state.issueComments.push({ id: 2, body: `quoting\n${marker}\nthe bot`, user: "github-actions[bot]" });
    gh.state.issueComments.push({
      id: 3,
      body: `${commentMarker(new MarkerSigner(null, "other", "repo").repoKey)}\nanother repository's`,
      user: "github-actions[bot]",
    });
    expect(await findStickyComments(octokit, at, who)).toEqual({ current: [], legacy: [] });
    const created = await upsertComment(octokit, at, { current: [], legacy: [] }, `${marker}\nv1`, false, false);
    expect(created.kind).toBe("created");
    const found = await findStickyComments(octokit, at, who);
    expect(found.current.map((c) => c.body)).toEqual([`${marker}\nv1`]);
    expect((await upsertComment(octokit, at, found, `${marker}\nv2`, false, false)).kind).toBe("updated");
    expect(gh.state.issueComments.map((c) => c.body.split("\n").pop())).toEqual(["quoted by a person", "the bot", "another repository's", "v2"]);
    const again = await findStickyComments(octokit, at, who);
    expect((await upsertComment(octokit, at, again, "", true, true)).kind).toBe("deleted");
    expect(gh.state.issueComments).toHaveLength(3);
    expect((await upsertComment(octokit, at, { current: [], legacy: [] }, "clean", true, false)).kind).toBe("skipped");
    expect(gh.violations).toEqual([]);
  });

  test("one comment per pull request: the bot's legacy per-system comments and duplicates are folded into one", async () => {
    const octokit = client();
    const at = { ...where, issue: 2 };
    const marker = commentMarker(signer.repoKey);
    gh.state.issueComments.push(
      { id: 1, body: "<!-- aigate:sticky-comment system=a -->\nold a", user: "github-actions[bot]" },
      { id: 2, body: "<!-- aigate:sticky-comment system=b -->\nold b", user: "github-actions[bot]" },
      { id: 3, body: "<!-- aigate:sticky-comment system=c -->\na person's copy", user: "octocat" },
    );
    const found = await findStickyComments(octokit, at, { repoKey: signer.repoKey });
    expect(found.legacy.map((c) => c.id)).toEqual([1, 2]);
    expect((await upsertComment(octokit, at, found, `${marker}\nnew`, false, false)).kind).toBe("updated");
    expect(gh.state.issueComments.map((c) => [c.id, c.body.split("\n")[1]])).toEqual([
      [1, "new"],
      [3, "a person's copy"],
    ]);
    // A second current comment (two runs racing) is removed on the next run.
    gh.state.issueComments.push({ id: 4, body: `${marker}\nraced`, user: "github-actions[bot]" });
    const next = await findStickyComments(octokit, at, { repoKey: signer.repoKey });
    expect((await upsertComment(octokit, at, next, `${marker}\nnew`, false, false)).kind).toBe("skipped");
    expect(gh.state.issueComments.map((c) => c.id)).toEqual([1, 3]);
    // A comment by a user other than the token's is never taken over.
    const asApp = await findStickyComments(octokit, at, { repoKey: signer.repoKey, botLogin: "aigate-app[bot]" });
    expect(asApp).toEqual({ current: [], legacy: [] });
    expect(gh.violations).toEqual([]);
  });
});

describe("review comments", () => {
  const diff = (patch: string): Diff => ({
    source: "api",
    incomplete: false,
    files: new Map([["ai-system.yaml", { path: "ai-system.yaml", status: "modified", ...parsePatch(patch), whole: false }]]),
  });

  test("one comment per changed line, findings outside the diff left to the summary, no repeats", async () => {
    const patch = "@@ -1,3 +1,5 @@\n a\n+b\n+c\n d\n e";
    gh.state.files = [{ filename: "ai-system.yaml", status: "modified", patch }];
    const fs = [
      finding(1),
      finding(1, { fingerprint: "c".repeat(32), ruleId: "other" }),
      finding(2),
      finding(30),
      finding(3, { status: "pre-existing", line: 4 }),
    ];
    const plan = planReview(fs, diff(patch), new Set());
    expect(plan.comments.map((c) => [c.line, c.fingerprints.length])).toEqual([
      [2, 2],
      [3, 1],
    ]);
    expect(plan.outsideDiff).toBe(1);
    const octokit = client();
    await postReview(octokit, { ...where, pull: 2, commitId: "e".repeat(40) }, plan, null);
    const posted = await postedFingerprints(octokit, where.owner, where.repo, 2);
    expect(posted.size).toBe(3);
    const again = planReview(fs, diff(patch), posted);
    expect(again.comments).toEqual([]);
    expect(again.alreadyPosted).toBe(3);
    expect(await postReview(octokit, { ...where, pull: 2, commitId: "e".repeat(40) }, again, null)).toBeNull();
    expect(gh.state.reviews).toHaveLength(1);
    expect(gh.violations).toEqual([]);
  });

  test("at most one review of 100 comments; the rest are counted", () => {
    const lines = Array.from({ length: 150 }, (_, i) => `+l${i}`).join("\n");
    const fs = Array.from({ length: 150 }, (_, i) => finding(i));
    const plan = planReview(fs, diff(`@@ -0,0 +1,150 @@\n${lines}`), new Set());
    expect(plan.comments).toHaveLength(REVIEW_MAX_COMMENTS);
    expect(plan.overflow).toBe(50);
  });
});

describe("check run", () => {
  test("every open finding as an annotation, 50 per request, completed with the verdict", async () => {
    const fs = Array.from({ length: 123 }, (_, i) => finding(i));
    const r = await publishCheckRun(
      client(),
      { ...where, headSha: "d".repeat(40), name: "aigate", detailsUrl: "https://github.com/o/r/actions/runs/1" },
      report(fs),
      (p) => `sub/${p}`,
      null,
    );
    expect(r).toMatchObject({ annotations: 123, requests: 3 });
    const run = gh.state.checkRuns[0]!;
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run.annotations).toHaveLength(123);
    expect(run.annotations[0]).toMatchObject({ path: "sub/ai-system.yaml", start_line: 1, annotation_level: "failure" });
    expect(gh.violations).toEqual([]);
  });

  test("annotations and summary fit the API's limits", () => {
    const a = toAnnotation(finding(0, { endLine: 5, message: "m".repeat(70000) }), (p) => p);
    expect(a.start_column).toBeUndefined();
    expect(a.message.length).toBeLessThanOrEqual(65535);
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...report([]).systems[0]!, name: `system-${i}-${"n".repeat(30)}` }));
    const rep = report([]);
    rep.systems = many;
    const s = checkSummary(rep, 0, 0, null);
    expect(s.summary.length).toBeLessThanOrEqual(65535);
    expect(new Ajv().validate({ type: "string", maxLength: 255 }, s.title)).toBe(true);
  });
});
