// Review comments on the changed lines: open findings whose line is inside a hunk of the PR diff
// become comments of one review (one write, not one per finding: GitHub's content-creation limit).
// Each comment carries the fingerprints it reports, so a re-run never posts the same finding twice.
import type { Finding, Severity } from "../findings/types.js";
import type { Octokit } from "./client.js";
import type { Diff } from "./diff.js";

/** Comments per review; the rest are counted in the review body and listed in the job summary. */
export const REVIEW_MAX_COMMENTS = 100;
const COMMENT_MAX_CHARS = 65536;
const SEV: Record<Severity, string> = { error: "🔴 error", warning: "🟡 warning", note: "🔵 note" };

export const findingMarker = (fingerprint: string) => `<!-- aigate:finding ${fingerprint} -->`;
const MARKER_RE = /<!-- aigate:finding ([0-9a-zA-Z_-]+) -->/g;

export interface PlannedComment {
  path: string;
  line: number;
  body: string;
  fingerprints: string[];
}

export interface ReviewPlan {
  comments: PlannedComment[];
  /** Findings on diff lines that were already commented by an earlier run. */
  alreadyPosted: number;
  /** Findings on diff lines beyond the per-review cap. */
  overflow: number;
  /** Open findings outside the diff (they stay in the summary). */
  outsideDiff: number;
}

/** Groups the open findings on commentable diff lines by path and line, minus those already posted. */
export function planReview(findings: readonly Finding[], diff: Diff, posted: ReadonlySet<string>, toRepoPath: (p: string) => string = (p) => p): ReviewPlan {
  const groups = new Map<string, { path: string; line: number; findings: Finding[] }>();
  let alreadyPosted = 0;
  let outsideDiff = 0;
  for (const f of findings) {
    if (f.status !== "open") continue;
    const path = toRepoPath(f.path);
    const change = diff.files.get(path);
    if (!change || !change.commentable.has(f.line)) {
      outsideDiff++;
      continue;
    }
    if (posted.has(f.fingerprint)) {
      alreadyPosted++;
      continue;
    }
    const key = `${path}\u0000${f.line}`;
    const g = groups.get(key) ?? { path, line: f.line, findings: [] };
    g.findings.push(f);
    groups.set(key, g);
  }
  const all = [...groups.values()];
  const kept = all.slice(0, REVIEW_MAX_COMMENTS);
  const overflow = all.slice(REVIEW_MAX_COMMENTS).reduce((n, g) => n + g.findings.length, 0);
  return { comments: kept.map((g) => ({ path: g.path, line: g.line, ...commentBody(g.findings) })), alreadyPosted, overflow, outsideDiff };
}

function commentBody(findings: Finding[]): { body: string; fingerprints: string[] } {
  const parts: string[] = [];
  const fingerprints: string[] = [];
  let size = 0;
  for (const [i, f] of findings.entries()) {
    const text = [
      findingMarker(f.fingerprint),
      `**${SEV[f.severity]}** · ${f.title} (\`${f.ruleId}\`${f.control ? `, control [${f.control}](${f.link ?? "https://owaspai.org"})` : ""})`,
      "",
      f.message,
      ...(f.remediation ? ["", `**Fix:** ${f.remediation}`] : []),
    ].join("\n");
    if (size + text.length + 200 > COMMENT_MAX_CHARS) {
      parts.push(`…and ${findings.length - i} more findings on this line (see the job summary).`);
      break;
    }
    parts.push(text);
    fingerprints.push(f.fingerprint);
    size += text.length + 7;
  }
  return { body: parts.join("\n\n---\n\n"), fingerprints };
}

interface ApiReviewComment {
  body?: string;
  user?: { type?: string } | null;
}

/** Fingerprints already reported by aigate's review comments on this PR. */
export async function postedFingerprints(octokit: Octokit, owner: string, repo: string, pull: number): Promise<Set<string>> {
  const all = (await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner, repo, pull_number: pull, per_page: 100 })) as ApiReviewComment[];
  const out = new Set<string>();
  for (const c of all) {
    if (c.user && c.user.type && c.user.type !== "Bot") continue;
    for (const m of (c.body ?? "").matchAll(MARKER_RE)) out.add(m[1]!);
  }
  return out;
}

/** Posts the plan as one review; returns its URL, or null when there is nothing to post. */
export async function postReview(octokit: Octokit, where: { owner: string; repo: string; pull: number; commitId: string }, plan: ReviewPlan, runUrl: string | null): Promise<string | null> {
  if (!plan.comments.length) return null;
  const n = plan.comments.reduce((s, c) => s + c.fingerprints.length, 0);
  const lines = [`**aigate** found ${n} new finding${n === 1 ? "" : "s"} on lines this pull request changes.`];
  if (plan.overflow) lines.push(`${plan.overflow} more on changed lines are not commented here (one review holds at most ${REVIEW_MAX_COMMENTS} comments).`);
  if (plan.outsideDiff) lines.push(`${plan.outsideDiff} open findings outside the diff are listed ${runUrl ? `in the [job summary](${runUrl})` : "in the job summary"}.`);
  const r = await octokit.rest.pulls.createReview({
    owner: where.owner,
    repo: where.repo,
    pull_number: where.pull,
    commit_id: where.commitId,
    event: "COMMENT",
    body: lines.join("\n\n"),
    comments: plan.comments.map((c) => ({ path: c.path, line: c.line, side: "RIGHT" as const, body: c.body })),
  });
  return r.data.html_url;
}
