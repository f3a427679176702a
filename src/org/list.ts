// `aigate org list`: an organisation's repositories, filtered by topic, language, visibility,
// archived state, forks and name, from the REST API (GET /orgs/{org}/repos, 100 per page: one
// request per hundred repositories). The result is the input of `aigate org shard`.
import { ConfigError } from "../errors.js";
import { checkGlob, matchGlob } from "../util/glob.js";

export interface OrgRepo {
  /** owner/name */
  repository: string;
  defaultBranch: string;
  visibility: string;
  language: string | null;
  topics: string[];
  archived: boolean;
  fork: boolean;
  /** Size in KiB as the API reports it (used to balance shards). */
  size: number;
  pushedAt: string | null;
}

export interface RepoFilter {
  /** Any of these topics (case-insensitive); empty: any. */
  topics?: string[];
  /** Any of these primary languages (case-insensitive); empty: any. */
  languages?: string[];
  /** Any of these visibilities; empty: any. */
  visibility?: string[];
  archived?: "exclude" | "include" | "only";
  forks?: boolean;
  /** Name globs (the repository's name, or owner/name when the glob has a slash) to keep; empty: all. */
  include?: string[];
  exclude?: string[];
}

/** GitHub owner and repository names: what a workflow may put in a path or a command line. */
export const REPOSITORY_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

interface ApiRepo {
  full_name?: string;
  name?: string;
  default_branch?: string;
  visibility?: string;
  private?: boolean;
  language?: string | null;
  topics?: string[];
  archived?: boolean;
  disabled?: boolean;
  fork?: boolean;
  size?: number;
  pushed_at?: string | null;
}

export function checkFilter(f: RepoFilter): void {
  for (const g of [...(f.include ?? []), ...(f.exclude ?? [])]) {
    const p = checkGlob(g);
    if (p) throw new ConfigError(`the repository glob ${JSON.stringify(g)}: ${p}`);
  }
}

export function keep(r: OrgRepo, f: RepoFilter): boolean {
  const lower = (xs?: string[]) => (xs ?? []).map((x) => x.toLowerCase());
  const topics = lower(f.topics);
  if (topics.length && !r.topics.some((t) => topics.includes(t.toLowerCase()))) return false;
  const langs = lower(f.languages);
  if (langs.length && !(r.language && langs.includes(r.language.toLowerCase()))) return false;
  const vis = lower(f.visibility);
  if (vis.length && !vis.includes(r.visibility.toLowerCase())) return false;
  const archived = f.archived ?? "exclude";
  if (archived === "exclude" && r.archived) return false;
  if (archived === "only" && !r.archived) return false;
  if (!f.forks && r.fork) return false;
  const name = r.repository.split("/")[1]!;
  const globMatch = (g: string) => matchGlob(g.includes("/") ? r.repository : name, g);
  if (f.include?.length && !f.include.some(globMatch)) return false;
  if (f.exclude?.some(globMatch)) return false;
  return true;
}

export async function listOrgRepos(
  org: string,
  filter: RepoFilter,
  api: { apiUrl: string; token: string; retryAfterBaseValue?: number },
): Promise<{ repos: OrgRepo[]; listed: number }> {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(org)) throw new ConfigError(`"${org}" is not a GitHub organisation name`);
  if (!api.token)
    throw new ConfigError(
      "aigate org list needs a token that can list the organisation's repositories (GITHUB_TOKEN, or --token-env NAME): a GitHub App installation token or a fine-grained token with metadata: read",
    );
  checkFilter(filter);
  // Loaded here, not at start-up: the GitHub client (Octokit, undici) costs every other command ~40 ms.
  const { createClient, errorText } = await import("../github/client.js");
  const octokit = createClient(api.token, { baseUrl: api.apiUrl, retryAfterBaseValue: api.retryAfterBaseValue });
  let raw: ApiRepo[];
  try {
    raw = (await octokit.paginate(octokit.rest.repos.listForOrg, { org, type: "all", per_page: 100 })) as ApiRepo[];
  } catch (e) {
    throw new ConfigError(`cannot list the repositories of ${org}: ${errorText(e)}`);
  }
  const repos: OrgRepo[] = [];
  for (const r of raw) {
    if (!r.full_name || !REPOSITORY_NAME.test(r.full_name) || r.disabled) continue;
    const repo: OrgRepo = {
      repository: r.full_name,
      defaultBranch: r.default_branch ?? "main",
      visibility: r.visibility ?? (r.private ? "private" : "public"),
      language: r.language ?? null,
      topics: Array.isArray(r.topics) ? r.topics.filter((t) => typeof t === "string") : [],
      archived: r.archived === true,
      fork: r.fork === true,
      size: typeof r.size === "number" && r.size >= 0 ? r.size : 0,
      pushedAt: r.pushed_at ?? null,
    };
    if (keep(repo, filter)) repos.push(repo);
  }
  repos.sort((a, b) => (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0));
  return { repos, listed: raw.length };
}
