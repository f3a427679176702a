// One run's configuration, for the CLI and the Action alike: the configuration file (from the base
// commit when one is known), the settings the flags or inputs leave to it, and the pinned pack
// sources the policy loader reads through; `finish` adds what they contribute to the report.
import { realpath } from "node:fs/promises";
import { relative, sep } from "node:path";
import { defaultCacheDir, checkCacheDir } from "../packs/cache.js";
import { PackSources, type PackSourceOptions } from "../packs/sources.js";
import { usePinnedPacks } from "../policy/load.js";
import type { Report } from "../report/types.js";
import type { BaseReader } from "../trusted.js";
import { findRepository, type Repo } from "../util/git.js";
import { loadConfig, type LoadedConfig } from "./load.js";
import { finishReport } from "./report.js";
import { settle, type GivenOptions, type Settings } from "./settle.js";

export interface SetupOptions {
  /** The checked folder (absolute). */
  root: string;
  cwd: string;
  base: BaseReader | null;
  /** A configuration file named by the operator; false: none (`--no-config`). */
  config?: string | false | null;
  given: GivenOptions;
  env?: NodeJS.ProcessEnv;
  /** The pack cache (default: AIGATE_PACK_CACHE, the runner's tool cache, ~/.cache/aigate/packs). */
  packCache?: string;
  /** Never use the network for packs. */
  offline?: boolean;
  /** GitHub API for github: pack references (default: GITHUB_API_URL and AIGATE_PACK_TOKEN / GITHUB_TOKEN / GH_TOKEN). */
  github?: { apiUrl: string; token: string | null };
  /** npm registry for npm: pack references (default: AIGATE_NPM_REGISTRY, npm_config_registry, registry.npmjs.org; token AIGATE_NPM_TOKEN). */
  npm?: { registry: string; token: string | null };
  /** Folders the pack cache must not be inside (besides the repository). */
  forbidden?: string[];
  log?: (line: string) => void;
  fetch?: typeof fetch;
}

export interface RunSetup {
  repo: Repo | null;
  loaded: LoadedConfig;
  settings: Settings;
  sources: PackSources;
  /** The checked folder relative to the repository's top level ("" at the top). */
  prefix: string;
  /** Adds the configuration's and the sources' part to the report (and computes the counts again). */
  finish(report: Report, extra?: { repository?: { name: string; commit?: string | null } | null }): Promise<Report>;
  /** Stops the policy loader from reading through these sources. */
  done(): void;
}

export async function setupRun(o: SetupOptions): Promise<RunSetup> {
  const env = o.env ?? process.env;
  const repo = await findRepository(o.root);
  const loaded = await loadConfig({ root: o.root, cwd: o.cwd, base: o.base, repo, explicit: o.config || null, enabled: o.config !== false });
  const settings = settle(loaded, o.given, o.cwd);
  const cacheDir = o.packCache ?? defaultCacheDir(env);
  await checkCacheDir(cacheDir, [...(repo ? [repo.top] : [o.root]), ...(o.forbidden ?? [])]);
  const opts: PackSourceOptions = {
    cacheDir,
    online: !(o.offline ?? /^(1|true)$/i.test(env.AIGATE_OFFLINE ?? "")),
    allowMoving: settings.allowMovingPackRefs,
    github: o.github ?? {
      apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/$/, ""),
      token: env.AIGATE_PACK_TOKEN || env.GITHUB_TOKEN || env.GH_TOKEN || null,
    },
    npm: o.npm ?? { registry: env.AIGATE_NPM_REGISTRY || env.npm_config_registry || "https://registry.npmjs.org/", token: env.AIGATE_NPM_TOKEN || null },
    log: o.log,
    fetch: o.fetch,
  };
  const sources = new PackSources(opts);
  usePinnedPacks(sources);
  const prefix = repo
    ? relative(repo.top, await realpath(o.root).catch(() => o.root))
        .split(sep)
        .join("/")
    : "";
  return {
    repo,
    loaded,
    settings,
    sources,
    prefix,
    finish: (report, extra) =>
      finishReport(report, {
        root: o.root,
        prefix,
        loaded,
        ignore: settings.ignore,
        ignoreSource: loaded.file ?? "aigate.yml",
        pinned: sources,
        sources: sources.recorded(),
        repository: extra?.repository ?? null,
      }),
    done: () => usePinnedPacks(null),
  };
}
