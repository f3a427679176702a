// `aigate org shard`: splits a repository list into the matrix of a workflow's scan job. GitHub
// runs at most 256 jobs of a matrix per workflow run, so the repositories are packed into at most
// `maxJobs` jobs of about `reposPerJob` each, balanced by size (largest first, each to the
// lightest job). Beyond maxJobs × reposPerJob, the list is split into waves (one workflow run
// each, `wave` of `waves`), or reposPerJob is raised: the error says which numbers would fit.
import { ConfigError } from "../errors.js";
import { REPOSITORY_NAME, type OrgRepo } from "./list.js";

/** GitHub's limit: a job matrix generates at most 256 jobs per workflow run. */
export const MATRIX_LIMIT = 256;

export interface ShardOptions {
  /** Jobs at most (≤ 256). */
  maxJobs?: number;
  /** Repositories a job should take (the jobs are as many as needed, up to maxJobs). */
  reposPerJob?: number;
  /** This wave (0-based) of `waves`: every waves-th repository of the sorted list, starting at `wave`. */
  wave?: number;
  waves?: number;
}

export interface Shard {
  /** 0-based job number. */
  shard: number;
  /** Repositories (owner/name), separated by spaces. */
  repos: string;
  count: number;
}

export interface ShardPlan {
  include: Shard[];
  /** Repositories in this wave. */
  total: number;
  wave: number;
  waves: number;
}

/** A fixed cost per repository (clone, start-up) plus its size, so that many small repositories also spread. */
const weight = (r: Pick<OrgRepo, "size">) => 2048 + Math.max(0, r.size);

export function shardRepos(input: (OrgRepo | string)[], o: ShardOptions = {}): ShardPlan {
  const maxJobs = o.maxJobs ?? MATRIX_LIMIT;
  const perJob = o.reposPerJob ?? 20;
  const waves = o.waves ?? 1;
  const wave = o.wave ?? 0;
  if (!Number.isInteger(maxJobs) || maxJobs < 1 || maxJobs > MATRIX_LIMIT)
    throw new ConfigError(`max-jobs must be 1 to ${MATRIX_LIMIT} (GitHub runs at most ${MATRIX_LIMIT} jobs of a matrix per workflow run); got ${maxJobs}`);
  if (!Number.isInteger(perJob) || perJob < 1) throw new ConfigError(`repos-per-job must be a positive integer; got ${perJob}`);
  if (!Number.isInteger(waves) || waves < 1 || !Number.isInteger(wave) || wave < 0 || wave >= waves)
    throw new ConfigError(`wave must be 0 to waves - 1; got wave ${wave} of ${waves}`);
  const repos = input.map((r) => (typeof r === "string" ? { repository: r, size: 0 } : r));
  for (const r of repos)
    if (!REPOSITORY_NAME.test(r.repository)) throw new ConfigError(`"${String(r.repository).slice(0, 120)}" is not an owner/name repository`);
  const unique = [...new Map(repos.map((r) => [r.repository.toLowerCase(), r])).values()].sort((a, b) =>
    a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0,
  );
  const mine = unique.filter((_, i) => i % waves === wave);
  const needed = Math.ceil(mine.length / perJob);
  if (needed > maxJobs) {
    const perJobFits = Math.ceil(mine.length / maxJobs);
    const wavesFit = Math.ceil(unique.length / (maxJobs * perJob));
    throw new ConfigError(
      `${mine.length} repositories need ${needed} jobs of ${perJob}, more than the ${maxJobs} a matrix may have: raise repos-per-job to ${perJobFits}, or split the list into ${wavesFit} waves (one workflow run per wave)`,
    );
  }
  const jobs = Math.max(needed, 0);
  const bins = Array.from({ length: jobs }, () => ({ load: 0, repos: [] as string[] }));
  // Largest first, each to the lightest job: within 4/3 of the best balance.
  for (const r of [...mine].sort((a, b) => weight(b) - weight(a) || (a.repository < b.repository ? -1 : 1))) {
    let best = 0;
    for (let i = 1; i < bins.length; i++)
      if (bins[i]!.load < bins[best]!.load || (bins[i]!.load === bins[best]!.load && bins[i]!.repos.length < bins[best]!.repos.length)) best = i;
    bins[best]!.load += weight(r);
    bins[best]!.repos.push(r.repository);
  }
  return { include: bins.map((b, i) => ({ shard: i, repos: b.repos.sort().join(" "), count: b.repos.length })), total: mine.length, wave, waves };
}
