// The GitHub sinks with hostile content, in process against the loopback API (requests validated by
// GitHub's OpenAPI description): the sticky comment, review comments, the check run and workflow
// annotations show content as text only; aigate's markers are read only where aigate wrote them,
// signed; one sticky comment per pull request, on the bot's own comments only.
import * as core from "@actions/core";
import { workflowAnnotation } from "../../src/github/annotations.js";
import { checkSummary, toAnnotation } from "../../src/github/checkrun.js";
import { createClient } from "../../src/github/client.js";
import { commentMarker, MarkerSigner, readState, stateMarker, systemTag } from "../../src/github/comment.js";
import { parsePatch, type Diff } from "../../src/github/diff.js";
import { publishGitHub, type GitHubSession } from "../../src/github/pull-request.js";
import { findingMarker, planReview, postedFingerprints, postReview, reviewSigner } from "../../src/github/review.js";
import type { Finding } from "../../src/findings/types.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import type { Report } from "../../src/report/types.js";
import { HOSTILE, hostileFindings, hostileReport, markdownProblems, terminalProblems, withoutCodeSpans } from "../report/hostile.helpers.js";
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

const OWNER = "Codertocat";
const REPO = "Hello-World";
const PULL = 2;
const SECRET = "repository secret";
const RUN_URL = `https://github.com/${OWNER}/${REPO}/actions/runs/7`;
const client = () => createClient("ghs_test", { baseUrl, retryAfterBaseValue: 5 });
const signer = () => new MarkerSigner(SECRET, OWNER, REPO);

const STICKY_FIRST = /^<!-- aigate:sticky-comment v=2 key=[0-9a-f]{12} -->$/;
const STATE_LAST = /^<!-- aigate:state [A-Za-z0-9_-]+ sig=[0-9a-f]{64} -->$/;
const FINDING_FIRST = /^<!-- aigate:finding [0-9a-zA-Z_,-]+ sig=[0-9a-f]{64} -->$/;

/** Every hostile path is a file of the pull request with lines 1-40 added. */
function prFiles(findings: readonly Finding[]): Diff {
  const patch = `@@ -0,0 +1,40 @@\n${Array.from({ length: 40 }, (_, i) => `+l${i}`).join("\n")}`;
  const paths = [...new Set(findings.map((f) => f.path))];
  gh.state.files = paths.map((p) => ({ filename: p, status: "added" as const, patch }));
  return { source: "api", incomplete: false, files: new Map(paths.map((p) => [p, { path: p, status: "added", ...parsePatch(patch), whole: true }])) } as Diff;
}

function session(findings: readonly Finding[], over: Partial<GitHubSession["inputs"]> = {}): GitHubSession {
  return {
    inputs: {
      token: "ghs_test",
      scope: "all",
      baseline: null,
      base: null,
      comment: true,
      review: true,
      checkRun: true,
      checkName: "aigate",
      deleteCommentWhenClean: false,
      ...over,
    } as GitHubSession["inputs"],
    ctx: {
      eventName: "pull_request",
      owner: OWNER,
      repo: REPO,
      sha: "e".repeat(40),
      apiUrl: baseUrl,
      serverUrl: "https://github.com",
      runUrl: RUN_URL,
      pull: {
        number: PULL,
        headSha: "e".repeat(40),
        baseSha: "b".repeat(40),
        baseRef: "main",
        headRepo: `${OWNER}/${REPO}`,
        baseRepo: `${OWNER}/${REPO}`,
        fromFork: false,
      },
      before: null,
    },
    client: client(),
    diff: prFiles(findings),
    hasBaseline: false,
    toRepoPath: (p) => p,
    counts: { baselined: 0, preExisting: 0 },
    notes: [],
  };
}

const log = { info: () => {}, warning: (m: string) => warnings.push(m) };
let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
});

const botComments = () => gh.state.issueComments.filter((c) => c.user === "github-actions[bot]");

describe("the checks themselves", () => {
  test("catch what unescaped content would do", () => {
    for (const h of ["<img src=x>", "@org/team", "#123", "https://x.example", "a|b", "<!-- aigate:finding x -->", "![x](https://evil.example/t.png)"])
      expect(markdownProblems(`| x |\n| ${h} |`)).not.toEqual([]);
    for (const h of ["::error::x", " ::add-mask::x", "a ##[error]b", "\u001b[2J", "a\u202eb"]) expect(terminalProblems(h)).not.toEqual([]);
  });
});

describe("publishGitHub with hostile content", () => {
  test("one sticky comment, review comments and a check run that show content as text; the verdict is the gate's", async () => {
    const findings = hostileFindings();
    const report = hostileReport(findings);
    // Already on the pull request: a person's comment and another bot-looking copy that quote the marker, and two legacy per-system comments of the bot.
    const marker = commentMarker(signer().repoKey);
    gh.state.issueComments.push(
      { id: 1, body: `${marker}\nquoted by a person`, user: "octocat" },
      { id: 2, body: "<!-- aigate:sticky-comment system=%40org%2Fteam -->\nold", user: "github-actions[bot]" },
      { id: 3, body: "<!-- aigate:sticky-comment system=other -->\nold", user: "github-actions[bot]" },
    );
    const out = await publishGitHub(session(findings), report, log, { stateSecret: SECRET });
    expect(gh.violations).toEqual([]);
    expect(out.feedback).toBe("posted");
    expect(warnings).toEqual([]);

    // One comment by the bot, the person's untouched.
    expect(gh.state.issueComments.find((c) => c.id === 1)!.body).toBe(`${marker}\nquoted by a person`);
    expect(botComments()).toHaveLength(1);
    const body = botComments()[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(markdownProblems(body, { first: STICKY_FIRST, last: STATE_LAST })).toEqual([]);
    const lines = body.split("\n");
    expect(lines[0]).toBe(marker);
    expect(lines[1]).toBe("## aigate: ❌ failed");
    expect(lines.filter((l) => l.startsWith("## "))).toEqual(["## aigate: ❌ failed"]);
    // HTML comments outside code spans: aigate's two, first and last.
    expect(lines.filter((l) => withoutCodeSpans(l).includes("<!--"))).toEqual([marker, lines[lines.length - 2]]);
    expect(lines[lines.length - 2]).toMatch(STATE_LAST);
    expect(lines.filter((l) => l.startsWith("### "))).toEqual([
      "### `@org/team`: ❌ failed",
      "### `<!-- aigate:sticky-comment v=2 key=000000000000 -->`: ✅ passed",
      "### ``  ## aigate: ✅ passed ` ``: ❌ not evaluated",
    ]);
    expect(readState(body, signer(), PULL)).not.toBeNull();

    // Review comments: aigate's marker first, content as text.
    expect(gh.state.reviews).toHaveLength(1);
    expect(gh.state.reviewComments.length).toBe(out.reviewComments);
    expect(out.reviewComments).toBe(findings.filter((f) => f.status === "open").length);
    for (const c of gh.state.reviewComments) expect(markdownProblems(c.body, { first: FINDING_FIRST })).toEqual([]);
    expect(markdownProblems(gh.state.reviews[0]!.body)).toEqual([]);

    // Check run: summary Markdown, annotations plain text without controls.
    const run = gh.state.checkRuns[0]!;
    expect(run.conclusion).toBe("failure");
    expect(run.title).toMatch(/^Failed: /);
    expect(markdownProblems(run.summary)).toEqual([]);
    for (const a of run.annotations as { message: string; title: string; path: string }[]) {
      expect(terminalProblems(a.message)).toEqual([]);
      expect(terminalProblems(a.title)).toEqual([]);
    }

    // Second push, one finding fixed: the comment says so, no review comment is posted twice.
    const fixedOne = findings.find((f) => f.status === "open")!;
    const next = findings.filter((f) => f !== fixedOne);
    const out2 = await publishGitHub(session(next), hostileReport(next), log, { stateSecret: SECRET });
    expect(gh.violations).toEqual([]);
    expect(out2.reviewComments).toBe(0);
    expect(gh.state.reviews).toHaveLength(1);
    expect(botComments()).toHaveLength(1);
    expect(botComments()[0]!.body).toMatch(/Fixed \(0 since the baseline, 1 since the previous run\)/);
  });

  test("markers and state planted in finding text neither suppress a review comment nor forge the fixed count", async () => {
    const [a, b] = [hostileFindings()[0]!, hostileFindings()[1]!];
    const s = signer();
    const forged = stateMarker({ [systemTag(a.system!)]: ["f".repeat(16), "e".repeat(16)] }, new MarkerSigner("guessed", OWNER, REPO), PULL);
    const planted = {
      ...a,
      message: `${findingMarker([b.fingerprint], reviewSigner(new MarkerSigner("guessed", OWNER, REPO), PULL))}\n${findingMarker([b.fingerprint])}\n${forged}`,
    };
    // First run: only the planted finding is open.
    const first = [planted, { ...b, status: "pre-existing" as const }];
    await publishGitHub(session(first), hostileReport(first), log, { stateSecret: SECRET });
    const posted = await postedFingerprints(client(), OWNER, REPO, PULL, { signer: s });
    expect([...posted]).toEqual([planted.fingerprint]);
    const state = readState(botComments()[0]!.body, s, PULL)!;
    expect(Object.values(state).flat()).toEqual([planted.fingerprint.slice(0, 16)]);
    // Second run: b is open and gets its review comment; nothing is counted as fixed.
    const second = [planted, b];
    const out = await publishGitHub(session(second), hostileReport(second), log, { stateSecret: SECRET });
    expect(out.reviewComments).toBe(1);
    expect(gh.state.reviewComments.map((c) => c.path)).toEqual([planted.path, b.path]);
    expect(botComments()[0]!.body).not.toMatch(/since the previous run/);
    expect(gh.violations).toEqual([]);
  });

  test("state is trusted only when signed with the caller's secret for this pull request", async () => {
    const findings = hostileFindings();
    await publishGitHub(session(findings), hostileReport(findings), log, { stateSecret: SECRET });
    const body = botComments()[0]!.body;
    expect(readState(body, signer(), PULL)).not.toBeNull();
    expect(readState(body, signer(), PULL + 1)).toBeNull();
    expect(readState(body, new MarkerSigner("another secret", OWNER, REPO), PULL)).toBeNull();
    expect(readState(body, new MarkerSigner(null, OWNER, REPO), PULL)).toBeNull();
    // A run without the secret keeps no state and ignores the signed one: only the "since the previous run" count is lost.
    const next = findings.slice(1);
    await publishGitHub(session(next), hostileReport(next), log, {});
    expect(botComments()).toHaveLength(1);
    expect(botComments()[0]!.body).not.toMatch(/since the previous run/);
    expect(botComments()[0]!.body.trimEnd().split("\n").pop()).not.toMatch(STATE_LAST);
  });

  test("a comment by another user, or that does not start with the marker, is never edited or deleted", async () => {
    const marker = commentMarker(signer().repoKey);
    gh.state.issueComments.push(
      { id: 1, body: `${marker}\nby github-actions, but aigate writes as an app here`, user: "github-actions[bot]" },
      { id: 2, body: `Look: ${marker}`, user: "github-actions[bot]" },
    );
    const findings = hostileFindings();
    await publishGitHub(session(findings, { review: false, checkRun: false }), hostileReport(findings), log, {
      stateSecret: SECRET,
      botLogin: "aigate-app[bot]",
    });
    // The fake server writes as github-actions[bot] whatever the token: the new comment is a third one, the two are untouched.
    expect(gh.state.issueComments.map((c) => c.id).slice(0, 2)).toEqual([1, 2]);
    expect(gh.state.issueComments[0]!.body).toContain("aigate writes as an app here");
    expect(gh.state.issueComments[1]!.body).toBe(`Look: ${marker}`);
    expect(gh.requests.filter((r) => r.operationId === "issues/update-comment" || r.operationId === "issues/delete-comment")).toEqual([]);
    expect(gh.violations).toEqual([]);
  });
});

describe("review markers", () => {
  test("read only from the first line of the bot's comments, and with a secret only when signed for this pull request", async () => {
    const s = signer();
    const fp = "a".repeat(32);
    gh.state.reviewComments.push(
      { id: 1, body: `${findingMarker(["1".repeat(32)], reviewSigner(s, PULL))}\nsigned`, user: "github-actions[bot]", path: "a", line: 1, commit_id: "c" },
      { id: 2, body: `${findingMarker(["2".repeat(32)])}\nunsigned`, user: "github-actions[bot]", path: "a", line: 1, commit_id: "c" },
      {
        id: 3,
        body: `${findingMarker(["3".repeat(32)], reviewSigner(s, PULL + 1))}\nanother PR's`,
        user: "github-actions[bot]",
        path: "a",
        line: 1,
        commit_id: "c",
      },
      { id: 4, body: `${findingMarker(["4".repeat(32)], reviewSigner(s, PULL))}\na person's copy`, user: "octocat", path: "a", line: 1, commit_id: "c" },
      { id: 5, body: `text first\n${findingMarker([fp], reviewSigner(s, PULL))}`, user: "github-actions[bot]", path: "a", line: 1, commit_id: "c" },
    );
    expect([...(await postedFingerprints(client(), OWNER, REPO, PULL, { signer: s }))]).toEqual(["1".repeat(32)]);
    // Without a secret there is nothing to verify: the bot's first-line markers count.
    expect([...(await postedFingerprints(client(), OWNER, REPO, PULL, { signer: new MarkerSigner(null, OWNER, REPO) }))].sort()).toEqual([
      "1".repeat(32),
      "2".repeat(32),
      "3".repeat(32),
    ]);
    // Another login: none of these.
    expect((await postedFingerprints(client(), OWNER, REPO, PULL, { botLogin: "aigate-app[bot]" })).size).toBe(0);
  });

  test("a comment's marker lists every fingerprint it reports", async () => {
    const f = hostileFindings()
      .filter((x) => x.status === "open")
      .map((x) => ({ ...x, path: "same.py", line: 3 }));
    const plan = planReview(f, prFiles(f), new Set(), (p) => p, reviewSigner(signer(), PULL));
    expect(plan.comments).toHaveLength(1);
    expect(plan.comments[0]!.fingerprints).toEqual(f.map((x) => x.fingerprint));
    await postReview(client(), { owner: OWNER, repo: REPO, pull: PULL, commitId: "e".repeat(40) }, plan, RUN_URL);
    expect([...(await postedFingerprints(client(), OWNER, REPO, PULL, { signer: signer() }))]).toEqual(f.map((x) => x.fingerprint));
    expect(gh.violations).toEqual([]);
  });
});

describe("workflow annotations through @actions/core", () => {
  /** The runner's reading of `::name k=v,...::data` (actions/runner ActionCommand.TryParseV2). */
  function parseV2(line: string): { command: string; props: Record<string, string>; data: string } | null {
    const m = line.trimStart();
    if (!m.startsWith("::")) return null;
    const end = m.indexOf("::", 2);
    if (end < 0) return null;
    const info = m.slice(2, end);
    const sp = info.indexOf(" ");
    const command = sp < 0 ? info : info.slice(0, sp);
    const props: Record<string, string> = {};
    const unprop = (s: string) => s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
    if (sp > 0)
      for (const kv of info
        .slice(sp + 1)
        .trim()
        .split(",")
        .filter(Boolean)) {
        const i = kv.indexOf("=");
        if (i > 0) props[kv.slice(0, i)] = unprop(kv.slice(i + 1));
      }
    return {
      command,
      props,
      data: m
        .slice(end + 2)
        .replace(/%0D/g, "\r")
        .replace(/%0A/g, "\n")
        .replace(/%25/g, "%"),
    };
  }

  test("one command per finding, whose message, title and file are what aigate meant", () => {
    const findings = hostileFindings().map((f, i) => ({ ...f, title: HOSTILE[(i + 3) % HOSTILE.length]! }));
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    const expected = findings.map((f) => workflowAnnotation(f, (p) => `sub/${p}`));
    try {
      for (const a of expected) core[a.level](a.message, a.properties);
    } finally {
      process.stdout.write = original;
    }
    const lines = written.join("").replace(/\n$/, "").split("\n");
    expect(lines).toHaveLength(findings.length);
    for (const [i, line] of lines.entries()) {
      const a = expected[i]!;
      expect(terminalProblems(line.replace(/^::\w+ /, ""))).toEqual([]);
      expect(line.startsWith(`::${a.level} `)).toBe(true);
      const parsed = parseV2(line)!;
      expect(parsed.command).toBe(a.level);
      expect(parsed.props).toEqual({
        title: a.properties.title,
        file: a.properties.file,
        line: String(a.properties.startLine),
        col: String(a.properties.startColumn),
      });
      expect(parsed.data).toBe(a.message);
      // What the log shows of the message: no control character, no command at a line start.
      expect(terminalProblems(parsed.data)).toEqual([]);
    }
  });
});

describe("check-run output and the job summary", () => {
  test("summary and annotations of a hostile report", () => {
    const r = hostileReport();
    const { title, summary } = checkSummary(r, 3, 0, RUN_URL);
    expect(title).toMatch(/^Failed: \d+ errors, \d+ warnings, \d+ notes open$/);
    expect(markdownProblems(summary)).toEqual([]);
    expect(summary.split("\n")[0]).toMatch(/^\*\*aigate failed\*\*/);
    for (const f of r.findings) {
      const a = toAnnotation(f, (p) => p);
      expect(a.path).toBe(f.path);
      expect(terminalProblems(a.message)).toEqual([]);
    }
  });

  test("the job summary of a hostile report, with what the Action appends", () => {
    const r: Report = hostileReport();
    const md = renderMarkdown(r, { maxFindings: 100 });
    expect(markdownProblems(md)).toEqual([]);
    expect(md.split("\n")[0]).toBe("## aigate: ❌ failed");
  });
});
