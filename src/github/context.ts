// What the workflow run is about, read from the runner's environment and event payload (the
// variables GitHub sets for every step). Read on demand, not at module load, so tests can set them.
import { readFileSync, statSync } from "node:fs";

export interface PullRequestInfo {
  number: number;
  headSha: string;
  baseSha: string;
  baseRef: string;
  headRepo: string;
  baseRepo: string;
  /** The head branch lives in another repository: the token is read-only and secrets are withheld. */
  fromFork: boolean;
  /** Login of the pull request's author (who may not approve their own exceptions). */
  author?: string | null;
}

export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  sha: string;
  apiUrl: string;
  serverUrl: string;
  /** Link to this workflow run (where the job summary is). */
  runUrl: string | null;
  pull: PullRequestInfo | null;
  /** For push events: the commit before the push (the base of the diff), if any. */
  before: string | null;
}

const MAX_EVENT_BYTES = 25 * 1024 * 1024;

interface RepoRef {
  full_name?: string;
  fork?: boolean;
}
interface EventPayload {
  pull_request?: {
    number?: number;
    user?: { login?: string } | null;
    head?: { sha?: string; repo?: RepoRef | null };
    base?: { sha?: string; ref?: string; repo?: RepoRef };
  };
  before?: string;
  repository?: { full_name?: string };
}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  let event: EventPayload = {};
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath) {
    try {
      if (statSync(eventPath).size <= MAX_EVENT_BYTES) event = JSON.parse(readFileSync(eventPath, "utf8")) as EventPayload;
    } catch {
      event = {};
    }
  }
  const full = env.GITHUB_REPOSITORY || event.repository?.full_name || "/";
  const [owner = "", repo = ""] = full.split("/");
  const serverUrl = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/$/, "");
  const runUrl =
    env.GITHUB_RUN_ID && full !== "/"
      ? `${serverUrl}/${full}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ""}`
      : null;
  const pr = event.pull_request;
  let pull: PullRequestInfo | null = null;
  if (pr && typeof pr.number === "number" && pr.head?.sha) {
    const headRepo = pr.head.repo?.full_name ?? "";
    const baseRepo = pr.base?.repo?.full_name ?? full;
    pull = {
      number: pr.number,
      headSha: pr.head.sha,
      baseSha: pr.base?.sha ?? "",
      baseRef: pr.base?.ref ?? "",
      headRepo,
      baseRepo,
      // A deleted fork has head.repo null: still a fork for permissions.
      fromFork: !pr.head.repo || (headRepo !== "" && headRepo.toLowerCase() !== baseRepo.toLowerCase()) || pr.head.repo.fork === true,
      author: typeof pr.user?.login === "string" ? pr.user.login : null,
    };
  }
  const before = typeof event.before === "string" && !/^0+$/.test(event.before) ? event.before : null;
  return {
    eventName,
    owner,
    repo,
    sha: env.GITHUB_SHA ?? "",
    apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/$/, ""),
    serverUrl,
    runUrl,
    pull,
    before,
  };
}
