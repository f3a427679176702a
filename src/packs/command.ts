// `aigate packs fetch`: fills the pack cache with pinned packs and everything they extend, so
// that a runner without network access finds them there (the check itself never needs network
// when the cache holds its packs).
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import { ConfigError } from "../errors.js";
import { loadTaxonomy } from "../exchange/taxonomy.js";
import { loadPacks, usePinnedPacks } from "../policy/load.js";
import type { CommandIO } from "../cli-options.js";
import { termText } from "../util/escape.js";
import { findRepository } from "../util/git.js";
import { checkCacheDir, defaultCacheDir } from "./cache.js";
import { isPackReference } from "./ref.js";
import { PackSources } from "./sources.js";

type IO = CommandIO;

export function addPacksCommand(program: Command, io: IO): void {
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const log = (l: string) => io.stderr(`aigate: ${termText(l)}\n`);
  const packs = program
    .command("packs")
    .description("packs from other repositories and npm packages (github:owner/repo/path@sha, npm:name@version#sha512-...)");
  packs
    .command("fetch")
    .description(
      "fetch pinned packs and everything they extend into the pack cache, so that runners without network access find them there (default: the packs aigate.yml names)",
    )
    .argument("[refs...]", "pack references or paths (default: the configuration's packs)")
    .option("--config <file>", "configuration file whose packs to fetch (default: aigate.yml or .github/aigate.yml at the repository's top level)")
    .option("--pack-cache <dir>", "the cache folder to fill (default: AIGATE_PACK_CACHE, else ~/.cache/aigate/packs)")
    .option(
      "--allow-moving",
      "accept moving references (branch, tag, range) given on the command line; the configuration's allowMovingPackRefs applies to its own",
    )
    .action(async (refs: string[], o: { config?: string; packCache?: string; allowMoving?: boolean }) => {
      const repo = await findRepository(cwd);
      const loaded = await loadConfig({ root: cwd, cwd, base: null, repo, explicit: o.config ?? null });
      const list = refs.length ? refs : (loaded.config?.packs ?? []).map((p) => (isPackReference(p) ? p : join(loaded.dir, p)));
      if (!list.length) throw new ConfigError("no pack to fetch: name pack references, or a configuration with packs");
      const cacheDir = o.packCache ? resolve(cwd, o.packCache) : defaultCacheDir(env);
      await checkCacheDir(cacheDir, repo ? [repo.top] : []);
      const sources = new PackSources({
        cacheDir,
        online: true,
        allowMoving: refs.length ? o.allowMoving === true : loaded.config?.allowMovingPackRefs === true,
        github: {
          apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/$/, ""),
          token: env.AIGATE_PACK_TOKEN || env.GITHUB_TOKEN || env.GH_TOKEN || null,
        },
        npm: { registry: env.AIGATE_NPM_REGISTRY || env.npm_config_registry || "https://registry.npmjs.org/", token: env.AIGATE_NPM_TOKEN || null },
        log,
      });
      usePinnedPacks(sources);
      try {
        // Loading validates each pack and reaches every file it extends.
        await loadPacks(loadTaxonomy(), list, { cwd });
      } finally {
        usePinnedPacks(null);
      }
      const got = sources.recorded();
      for (const s of got)
        io.stdout(`${s.ref}\t${s.kind === "github" ? "commit" : "version"} ${s.resolved}\t${s.files.length} file${s.files.length === 1 ? "" : "s"}\n`);
      io.stderr(`aigate: ${got.length} pack source${got.length === 1 ? "" : "s"} cached in ${cacheDir}\n`);
      io.setExit(0);
    });
}
