// GitHub pull-request integration for the Action. The verdict is decided by run() (verdict.ts);
// `githubSession` gathers what the sinks need and `publishGitHub` (after the job summary) writes
// the sticky comment, the review and the check run.
// A sink that fails (fork PR token, missing `permissions:`, API trouble) degrades to the annotations
// and the job summary and is reported once; it never changes the verdict.
import { posix } from "node:path";
import type { RepositoryLinks } from "../report/links.js";
import type { Report } from "../report/types.js";
import { mdText } from "../util/escape.js";
import type { Scope } from "../verdict.js";
import type { Change } from "./change.js";
import { publishCheckRun } from "./checkrun.js";
import { errorText, isPermissionError, type Octokit } from "./client.js";
import {
  commentTargets,
  DEFAULT_BOT_LOGIN,
  findStickyComments,
  isClean,
  MarkerSigner,
  readState,
  renderCommentWithin,
  stateMarker,
  upsertComment,
} from "./comment.js";
import type { RunContext } from "./context.js";
import type { Diff } from "./diff.js";
import { planReview, postedFingerprints, postReview, reviewSigner } from "./review.js";
import { termText } from "../util/escape.js";

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
  /** Whether a baseline applied (its trusted entries no finding has any more are `report.baseline.fixed`). */
  hasBaseline: boolean;
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

/**
 * The session for the sinks, after run() has decided: which diff review comments may use and the
 * counts. Decides nothing; what the baseline says was fixed comes from the report (the trusted entries).
 */
export function githubSession(
  report: Report,
  inputs: GitHubInputs,
  ctx: RunContext,
  client: Octokit | null,
  change: Change,
  where: { path: string },
): GitHubSession {
  const prefix = posix.normalize(where.path.split("\\").join("/"));
  const toRepoPath = (p: string) => (prefix === "." || prefix === "" ? p : posix.join(prefix, p));
  const by = report.summary.byStatus ?? {};
  return {
    inputs,
    ctx,
    client,
    diff: change.reviewDiff,
    hasBaseline: report.baseline !== undefined,
    toRepoPath,
    counts: { baselined: by.baselined ?? 0, preExisting: by["pre-existing"] ?? 0 },
    notes: [...(report.notes ?? [])],
  };
}

/** Markdown lines for the job summary about scope, baseline and PR feedback. */
export function sessionNotes(s: GitHubSession): string {
  return s.notes.length ? `\n### Pull request scope\n\n${s.notes.map((n) => `- ${mdText(n)}`).join("\n")}\n` : "";
}

/** Who aigate writes as, and the secret its state markers are signed with. */
export interface PublishOptions {
  /**
   * Login of the token's user: only comments by this user are read for state, updated or deleted
   * (default github-actions[bot], the GITHUB_TOKEN's; a PAT or an App token writes as another user).
   */
  botLogin?: string;
  /**
   * Secret the state markers (open fingerprints of the sticky comment, fingerprints of review
   * comments) are signed with. It must stay the same across the runs of a pull request and be
   * unknown to its author (e.g. a repository secret). Without it the sticky comment's state is not
   * kept (only the "fixed since the previous run" count is lost) and review markers are read
   * unsigned, from the bot's own comments only.
   */
  stateSecret?: string | null;
  /** Tells several aigate jobs of one repository apart, each with its own sticky comment ("" for one). */
  instance?: string;
  /** The repository and commit the findings are about: locations in the comment link to them. */
  links?: RepositoryLinks;
}

export async function publishGitHub(s: GitHubSession, report: Report, log: Log, opts: PublishOptions = {}): Promise<PublishOutcome> {
  const out: PublishOutcome = { commentUrl: null, reviewUrl: null, reviewComments: 0, checkRunUrl: null, feedback: "off", problems: [] };
  const { ctx, client, inputs } = s;
  const botLogin = opts.botLogin || DEFAULT_BOT_LOGIN;
  const signer = new MarkerSigner(opts.stateSecret ?? null, ctx.owner, ctx.repo, opts.instance ?? "");
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
  if (pull && inputs.comment) await attempt("PR comment", () => publishComments(s, report, out, pull.number, botLogin, signer, opts.links));
  if (pull && inputs.review) {
    await attempt("review comments", async () => {
      if (!s.diff || s.diff.source !== "api") throw new Error("the pull request's diff is not available");
      const posted = await postedFingerprints(client, ctx.owner, ctx.repo, pull.number, { botLogin, signer });
      const plan = planReview(report.findings, s.diff, posted, s.toRepoPath, reviewSigner(signer, pull.number));
      out.reviewUrl = await postReview(client, { owner: ctx.owner, repo: ctx.repo, pull: pull.number, commitId: pull.headSha }, plan, ctx.runUrl);
      out.reviewComments = plan.comments.length;
    });
  }
  if (inputs.checkRun) {
    await attempt("check run", async () => {
      const headSha = pull?.headSha || ctx.sha;
      if (!headSha) throw new Error("no commit SHA (GITHUB_SHA) to attach the check run to");
      const r = await publishCheckRun(
        client,
        { owner: ctx.owner, repo: ctx.repo, headSha, name: inputs.checkName, detailsUrl: ctx.runUrl },
        report,
        s.toRepoPath,
        ctx.runUrl,
      );
      out.checkRunUrl = r.url || null;
    });
  }
  finish(out, log, ctx);
  return out;
}

/** The one sticky comment of the pull request: created, updated in place, or deleted when clean on request. */
async function publishComments(
  s: GitHubSession,
  report: Report,
  out: PublishOutcome,
  issue: number,
  botLogin: string,
  signer: MarkerSigner,
  links?: RepositoryLinks,
): Promise<void> {
  const { ctx, client, inputs } = s;
  const where = { owner: ctx.owner, repo: ctx.repo, issue };
  const found = await findStickyComments(client!, where, { botLogin, repoKey: signer.repoKey });
  const prev = found.current[0];
  const fixed = report.baseline?.fixed ?? [];
  const named = new Set(report.systems.map((x) => x.name));
  // Fixed entries of no known system go with the first section, as its findings do.
  const sections = commentTargets(report).map((t, i) => ({
    ...t,
    fixed: fixed.filter((e) => !t.system || e.system === t.name || (i === 0 && !named.has(e.system ?? ""))),
  }));
  const body = renderCommentWithin({
    repoKey: signer.repoKey,
    passed: report.summary.passed,
    sections,
    failOn: report.summary.failOn,
    scope: inputs.scope,
    runUrl: ctx.runUrl,
    previouslyOpen: prev ? readState(prev.body, signer, issue) : null,
    knowsBase: inputs.scope === "changed" ? (report.summary.byStatus?.["pre-existing"] ?? 0) > 0 || s.diff !== null : s.hasBaseline,
    state: (open) => stateMarker(open, signer, issue),
    pending: report.pending,
    links,
  });
  const clean = isClean(report.findings) && report.summary.passed;
  const r = await upsertComment(client!, where, found, body, clean, inputs.deleteCommentWhenClean);
  out.commentUrl = r.url;
}

function finish(out: PublishOutcome, log: Log, ctx: RunContext): void {
  if (!out.problems.length) {
    out.feedback = "posted";
    return;
  }
  out.feedback = "degraded";
  const fork = ctx.pull?.fromFork ? "This pull request comes from a fork, so its token is read-only. " : "";
  // API error messages can quote content (a path in a 422): shown as plain text only.
  log.warning(
    `aigate: could not post pull-request feedback (${termText(out.problems.join("; "), 4000)}). ${fork}The findings are in the annotations and the job summary; the verdict is unchanged.`,
  );
}
