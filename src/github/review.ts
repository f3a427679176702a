// Review comments on the changed lines: open findings whose line is inside a hunk of the PR diff
// become comments of one review (one write, not one per finding: GitHub's content-creation limit).
// Each comment starts with one marker listing the fingerprints it reports (signed when the caller
// gives a secret), so a re-run never posts the same finding twice. Markers are read only at the
// start of comments the bot wrote; finding text is escaped, so it can never plant one.
import type { Finding, Severity } from "../findings/types.js";
import { mdCode, mdLink, mdText } from "../util/escape.js";
import type { Octokit } from "./client.js";
import { DEFAULT_BOT_LOGIN, type MarkerSigner } from "./comment.js";
import type { Diff } from "./diff.js";

/** Comments per review; the rest are counted in the review body and listed in the job summary. */
export const REVIEW_MAX_COMMENTS = 100;
const COMMENT_MAX_CHARS = 65536;
/** Length of a finding's message or remediation in a review comment. */
const TEXT_MAX = 4000;
const SEV: Record<Severity, string> = { error: "🔴 error", warning: "🟡 warning", note: "🔵 note" };
const FP_RE = /^[0-9a-zA-Z_-]{1,64}$/;
/** The marker, and only as the first line of the body. */
const MARKER_RE = /^<!-- aigate:finding ([0-9a-zA-Z_-]{1,64}(?:,[0-9a-zA-Z_-]{1,64}){0,200})(?: sig=([0-9a-f]{64}))? -->(?:\r?\n|$)/;

/** Signs a marker's fingerprint list: "" for none (no secret), else the signature. */
export type MarkerSign = (fingerprints: string) => string;

/** The first line of a review comment: the fingerprints it reports, and their signature when there is one. */
export function findingMarker(fingerprints: readonly string[], sign: MarkerSign = () => ""): string {
  const list = fingerprints.filter((fp) => FP_RE.test(fp)).join(",");
  const sig = sign(list);
  return `<!-- aigate:finding ${list}${sig ? ` sig=${sig}` : ""} -->`;
}

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

/**
 * Groups the open findings on commentable diff lines by path and line, minus those already posted.
 * `sign` signs each comment's marker (see reviewSigner).
 */
export function planReview(
  findings: readonly Finding[],
  diff: Diff,
  posted: ReadonlySet<string>,
  toRepoPath: (p: string) => string = (p) => p,
  sign: MarkerSign = () => "",
): ReviewPlan {
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
  return { comments: kept.map((g) => ({ path: g.path, line: g.line, ...commentBody(g.findings, sign) })), alreadyPosted, overflow, outsideDiff };
}

function commentBody(findings: Finding[], sign: MarkerSign): { body: string; fingerprints: string[] } {
  const parts: string[] = [];
  const fingerprints: string[] = [];
  // The marker grows by one fingerprint per finding; its signature is of fixed length.
  let size = 120;
  for (const [i, f] of findings.entries()) {
    const text = [
      `**${SEV[f.severity]}** · ${mdText(f.title, 300)} (${mdCode(f.ruleId, { table: false })}${f.control ? `, control ${mdLink(f.control, f.link ?? "https://owaspai.org")}` : ""})`,
      "",
      mdText(f.message, TEXT_MAX),
      ...(f.remediation ? ["", `**Fix:** ${mdText(f.remediation, TEXT_MAX)}`] : []),
    ].join("\n");
    if (size + text.length + f.fingerprint.length + 200 > COMMENT_MAX_CHARS) {
      parts.push(`…and ${findings.length - i} more findings on this line (see the job summary).`);
      break;
    }
    parts.push(text);
    if (FP_RE.test(f.fingerprint)) fingerprints.push(f.fingerprint);
    size += text.length + 7 + f.fingerprint.length + 1;
  }
  return { body: `${findingMarker(fingerprints, sign)}\n${parts.join("\n\n---\n\n")}`, fingerprints };
}

/** Signs review markers for pull request `pull` with `signer` (nothing without a secret). */
export function reviewSigner(signer: MarkerSigner, pull: number): MarkerSign {
  return (list) => signer.sign("finding", pull, list) ?? "";
}

interface ApiReviewComment {
  body?: string;
  user?: { login?: string; type?: string } | null;
}

/**
 * Fingerprints already reported by aigate's review comments on this PR: read from the marker at the
 * start of comments by `botLogin`. With a secret (signer.canSign) a marker counts only when its
 * signature verifies; without one, the bot's markers are taken as they are (nothing to verify).
 */
export async function postedFingerprints(
  octokit: Octokit,
  owner: string,
  repo: string,
  pull: number,
  who: { botLogin?: string; signer?: MarkerSigner } = {},
): Promise<Set<string>> {
  const all = (await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner, repo, pull_number: pull, per_page: 100 })) as ApiReviewComment[];
  const login = who.botLogin || DEFAULT_BOT_LOGIN;
  const out = new Set<string>();
  for (const c of all) {
    if (c.user?.login !== login) continue;
    const m = MARKER_RE.exec(c.body ?? "");
    if (!m) continue;
    if (who.signer?.canSign && !who.signer.verify("finding", pull, m[1]!, m[2])) continue;
    for (const fp of m[1]!.split(",")) out.add(fp);
  }
  return out;
}

/** Posts the plan as one review; returns its URL, or null when there is nothing to post. */
export async function postReview(
  octokit: Octokit,
  where: { owner: string; repo: string; pull: number; commitId: string },
  plan: ReviewPlan,
  runUrl: string | null,
): Promise<string | null> {
  if (!plan.comments.length) return null;
  const n = plan.comments.reduce((s, c) => s + c.fingerprints.length, 0);
  const lines = [`**aigate** found ${n} new finding${n === 1 ? "" : "s"} on lines this pull request changes.`];
  if (plan.overflow) lines.push(`${plan.overflow} more on changed lines are not commented here (one review holds at most ${REVIEW_MAX_COMMENTS} comments).`);
  if (plan.outsideDiff) lines.push(`${plan.outsideDiff} open findings outside the diff are listed in the ${mdLink("job summary", runUrl)}.`);
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
