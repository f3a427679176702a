// GitHub pull-request integration for the Action, in two steps around the existing outputs:
// `prepareGitHub` (before the gate is reported) applies the baseline and the diff-aware scope;
// `publishGitHub` (after the job summary) writes the sticky comments, the review and the check run.
// A sink that fails (fork PR token, missing `permissions:`, API trouble) degrades to the annotations
// and the job summary and is reported once; it never changes the verdict.
import { posix } from "node:path";
import { applyBaseline, fixedSinceBaseline, readBaseline, type BaselineEntry } from "../baseline.js";
import type { Report } from "../report/types.js";
import { applyScope, restate, type Scope } from "../scope.js";
import { publishCheckRun } from "./checkrun.js";
import { createClient, errorText, isPermissionError, type Octokit } from "./client.js";
import { commentTargets, findStickyComments, isClean, readState, renderCommentWithin, upsertComment } from "./comment.js";
import { readRunContext, type RunContext } from "./context.js";
import { diffFromApi, diffFromGit, type Diff } from "./diff.js";
import { planReview, postedFingerprints, postReview } from "./review.js";

export interface GitHubInputs {
  token: string;
  scope: Scope;
  baseline: string | null;
  /** Base ref for `git diff` on events without a PR (default: the push's `before`). */
  base: string | null;
  comment: boolean;
  review: boolean;
  checkRun: boolean;
  checkName: string;
  deleteCommentWhenClean: boolean;
}

export interface GitHubSession {
  inputs: GitHubInputs;
  ctx: RunContext;
  client: Octokit | null;
  diff: Diff | null;
  baseline: Map<string, BaselineEntry> | null;
  /** Report path (relative to the scanned folder) to repository path. */
  toRepoPath: (p: string) => string;
  counts: { baselined: number; preExisting: number };
  /** Plain-language notes for the log and the job summary (what scope did, and why not when it could not). */
  notes: string[];
}

export interface PublishOutcome {
  commentUrl: string | null;
  reviewUrl: string | null;
  reviewComments: number;
  checkRunUrl: string | null;
  /** "posted": every enabled sink worked; "degraded": some fell back to annotations and the summary; "off": nothing to do. */
  feedback: "posted" | "degraded" | "off";
  problems: string[];
}

interface Log {
  info(message: string): void;
  warning(message: string): void;
}

export async function prepareGitHub(report: Report, inputs: GitHubInputs, where: { workspace: string; path: string; root: string }, env: NodeJS.ProcessEnv = process.env): Promise<GitHubSession> {
  const ctx = readRunContext(env);
  const prefix = posix.normalize(where.path.split("\\").join("/"));
  const toRepoPath = (p: string) => (prefix === "." || prefix === "" ? p : posix.join(prefix, p));
  const client = inputs.token && ctx.owner ? createClient(inputs.token, { baseUrl: ctx.apiUrl }) : null;
  const session: GitHubSession = { inputs, ctx, client, diff: null, baseline: null, toRepoPath, counts: { baselined: 0, preExisting: 0 }, notes: [] };

  if (inputs.baseline) {
    session.baseline = await readBaseline(posix.isAbsolute(inputs.baseline) ? inputs.baseline : posix.join(where.workspace, inputs.baseline));
    session.counts.baselined = applyBaseline(report.findings, session.baseline);
    session.notes.push(`${session.counts.baselined} findings are in the baseline ${inputs.baseline} and do not fail the gate.`);
  }

  const needDiff = inputs.scope === "changed" || (inputs.review && ctx.pull !== null);
  if (needDiff) {
    session.diff = await loadDiff(session, where.root).catch((e: unknown) => {
      session.notes.push(`The changes could not be read (${errorText(e)}).`);
      return null;
    });
  }
  if (inputs.scope === "changed") {
    if (!session.diff) session.notes.push("scope: changed could not be applied, so every finding can fail the gate.");
    else if (session.diff.incomplete) session.notes.push("The pull request changes more than 3,000 files (the API's limit), so every finding can fail the gate.");
    else {
      const toDiff = session.diff.source === "api" ? toRepoPath : (p: string) => p;
      session.counts.preExisting = applyScope(report.findings, session.diff, toDiff);
      session.notes.push(`scope: changed: ${session.counts.preExisting} findings outside the ${session.diff.files.size} changed files' new lines are pre-existing and do not fail the gate.`);
    }
  }
  if (session.counts.baselined || session.counts.preExisting) restate(report);
  return session;
}

async function loadDiff(s: GitHubSession, root: string): Promise<Diff | null> {
  const { ctx, client, inputs } = s;
  if (ctx.pull && client) {
    try {
      return await diffFromApi(client, ctx.owner, ctx.repo, ctx.pull.number);
    } catch (e) {
      if (!ctx.pull.baseSha) throw e;
      s.notes.push(`The pull request's files could not be read from the API (${errorText(e)}); using git diff instead.`);
      return diffFromGit(root, ctx.pull.baseSha);
    }
  }
  const base = inputs.base ?? ctx.pull?.baseSha ?? ctx.before;
  if (!base) {
    s.notes.push(`No base to compare with on a ${ctx.eventName || "local"} run (set the \`base\` input).`);
    return null;
  }
  return diffFromGit(root, base);
}

/** Markdown lines for the job summary about scope, baseline and PR feedback. */
export function sessionNotes(s: GitHubSession): string {
  return s.notes.length ? `\n### Pull request scope\n\n${s.notes.map((n) => `- ${n}`).join("\n")}\n` : "";
}

export async function publishGitHub(s: GitHubSession, report: Report, log: Log): Promise<PublishOutcome> {
  const out: PublishOutcome = { commentUrl: null, reviewUrl: null, reviewComments: 0, checkRunUrl: null, feedback: "off", problems: [] };
  const { ctx, client, inputs } = s;
  const wanted = (ctx.pull ? inputs.comment || inputs.review : false) || inputs.checkRun;
  if (!wanted) return out;
  if (!client) {
    out.problems.push("no github-token");
    finish(out, log, ctx);
    return out;
  }
  let readOnly = false;
  const attempt = async (what: string, fn: () => Promise<void>) => {
    if (readOnly) {
      out.problems.push(`${what}: skipped (read-only token)`);
      return;
    }
    try {
      await fn();
    } catch (e) {
      out.problems.push(`${what}: ${errorText(e)}`);
      // A fork PR's token is read-only for every write: do not spend more requests learning that again.
      if (isPermissionError(e) && ctx.pull?.fromFork) readOnly = true;
    }
  };
  const pull = ctx.pull;
  if (pull && inputs.comment) await attempt("PR comment", () => publishComments(s, report, out, pull.number));
  if (pull && inputs.review) {
    await attempt("review comments", async () => {
      if (!s.diff || s.diff.source !== "api") throw new Error("the pull request's diff is not available");
      const posted = await postedFingerprints(client, ctx.owner, ctx.repo, pull.number);
      const plan = planReview(report.findings, s.diff, posted, s.toRepoPath);
      out.reviewUrl = await postReview(client, { owner: ctx.owner, repo: ctx.repo, pull: pull.number, commitId: pull.headSha }, plan, ctx.runUrl);
      out.reviewComments = plan.comments.length;
    });
  }
  if (inputs.checkRun) {
    await attempt("check run", async () => {
      const headSha = pull?.headSha || ctx.sha;
      if (!headSha) throw new Error("no commit SHA (GITHUB_SHA) to attach the check run to");
      const r = await publishCheckRun(client, { owner: ctx.owner, repo: ctx.repo, headSha, name: inputs.checkName, detailsUrl: ctx.runUrl }, report, s.toRepoPath, ctx.runUrl);
      out.checkRunUrl = r.url || null;
    });
  }
  finish(out, log, ctx);
  return out;
}

async function publishComments(s: GitHubSession, report: Report, out: PublishOutcome, issue: number): Promise<void> {
  const { ctx, client, inputs } = s;
  const existing = await findStickyComments(client!, ctx.owner, ctx.repo, issue);
  for (const t of commentTargets(report)) {
    const fixed = s.baseline ? fixedSinceBaseline(report.findings, s.baseline).filter((e) => (t.system ? e.system === t.name : true)) : [];
    const prev = existing.get(t.name);
    const body = renderCommentWithin({
      name: t.name,
      system: t.system,
      findings: t.findings,
      failOn: report.summary.failOn,
      scope: inputs.scope,
      runUrl: ctx.runUrl,
      fixed,
      previouslyOpen: prev ? readState(prev.body) : null,
      knowsBase: inputs.scope === "changed" && s.diff !== null ? true : s.baseline !== null,
    });
    const r = await upsertComment(client!, { owner: ctx.owner, repo: ctx.repo, issue }, prev, body, isClean(t.findings), inputs.deleteCommentWhenClean);
    out.commentUrl ??= r.url;
  }
}

function finish(out: PublishOutcome, log: Log, ctx: RunContext): void {
  if (!out.problems.length) {
    out.feedback = "posted";
    return;
  }
  out.feedback = "degraded";
  const fork = ctx.pull?.fromFork ? "This pull request comes from a fork, so its token is read-only. " : "";
  log.warning(`aigate: could not post pull-request feedback (${out.problems.join("; ")}). ${fork}The findings are in the annotations and the job summary; the verdict is unchanged.`);
}

