// What a workflow run is checking a change against: the base whose configuration is trusted, the
// lines the change adds (for the verdict, in the checkout's own line numbers), and the pull
// request's diff (for review comments, in the head's line numbers). Read before run(); the
// verdict stage decides with them, the GitHub layer only posts.
import type { BaseReader } from "../trusted.js";
import { apiBaseReader, firstAvailable, gitBaseReader } from "../trusted.js";
import { findRepository, headCommit, type Repo } from "../util/git.js";
import type { Scope } from "../verdict.js";
import { errorText, type Octokit } from "./client.js";
import type { RunContext } from "./context.js";
import { apiFileChanges, diffFromApi, diffFromGit, type Diff, type FileChange } from "./diff.js";

export interface Change {
  repo: Repo | null;
  /** The pull request's base commit, read through git or the API; null off pull requests. */
  base: BaseReader | null;
  /** Lines the change adds, paths relative to the scanned folder, checkout line numbers; null when unknown. */
  diff: Diff | null;
  /** The pull request's files (repository paths, head line numbers) where review comments may go. */
  reviewDiff: Diff | null;
  notes: string[];
}

/** The compare API lists at most 300 files. */
const COMPARE_MAX_FILES = 300;

/** `diff` with only the files under `prefix` (a folder of the repository), their paths made relative to it. */
export function diffUnder(diff: Diff, prefix: string): Diff {
  if (!prefix || prefix === ".") return diff;
  const files = new Map<string, FileChange>();
  for (const [path, change] of diff.files) {
    if (path.startsWith(prefix + "/")) files.set(path.slice(prefix.length + 1), { ...change, path: path.slice(prefix.length + 1) });
  }
  return { ...diff, files };
}

/** A pull request's merge commit against its base, from the compare API (for the default merge checkout without history). */
async function diffFromCompare(octokit: Octokit, owner: string, repo: string, base: string, head: string): Promise<Diff> {
  const r = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}`, per_page: 100 });
  const entries = r.data.files ?? [];
  return { source: "api", files: apiFileChanges(entries), incomplete: entries.length >= COMPARE_MAX_FILES };
}

export interface ChangeInputs {
  scope: Scope;
  review: boolean;
  /** Base ref for events without a pull request (default: the push's `before`). */
  base: string | null;
}

export async function readChange(ctx: RunContext, client: Octokit | null, inputs: ChangeInputs, where: { root: string; prefix: string }): Promise<Change> {
  const notes: string[] = [];
  const repo = await findRepository(where.root);
  const out: Change = { repo, base: null, diff: null, reviewDiff: null, notes };
  const pull = ctx.pull;
  const checkout = repo ? await headCommit(repo).catch(() => null) : null;

  if (pull?.baseSha) {
    const readers: BaseReader[] = [];
    if (repo) readers.push(gitBaseReader(repo, pull.baseSha));
    if (client) readers.push(apiBaseReader(client, ctx.owner, ctx.repo, pull.baseSha));
    if (readers.length) out.base = firstAvailable(readers);
    else notes.push("The base commit's configuration cannot be read (no git history and no token): every exception this change carries is treated as new.");
  }

  const needsDiff = inputs.scope === "changed" || !!pull;
  if (pull && client && (inputs.review || needsDiff)) {
    const api = await diffFromApi(client, ctx.owner, ctx.repo, pull.number).catch((e: unknown) => {
      notes.push(`The pull request's files could not be read from the API (${errorText(e)}).`);
      return null;
    });
    // Review comments need head line numbers: the API's; the verdict needs the checkout's.
    if (api && (checkout === null || checkout === pull.headSha)) {
      out.reviewDiff = api;
      out.diff = diffUnder(api, where.prefix);
    } else if (api) {
      notes.push(
        "The checkout is not the pull request's head (the default merge commit), so review comments are not posted; check out `github.event.pull_request.head.sha` to get them.",
      );
    }
  }
  if (pull && !out.diff && pull.baseSha) {
    out.diff = await diffFromGit(where.root, pull.baseSha).catch(() => null);
    if (!out.diff && client && checkout) {
      out.diff = await diffFromCompare(client, ctx.owner, ctx.repo, pull.baseSha, checkout)
        .then((d) => diffUnder(d, where.prefix))
        .catch((e: unknown) => {
          notes.push(`The change could not be read from git or the compare API (${errorText(e)}).`);
          return null;
        });
    }
  } else if (!pull && inputs.scope === "changed") {
    const base = inputs.base ?? ctx.before;
    if (!base) notes.push(`No base to compare with on a ${ctx.eventName || "local"} run (set the \`base\` input).`);
    else
      out.diff = await diffFromGit(where.root, base).catch((e: unknown) => {
        notes.push(`The changes could not be read (${errorText(e)}).`);
        return null;
      });
  }
  return out;
}
