// The command line's side of the configuration: the options check and baseline take for it, which
// flags the user set (they override aigate.yml), and one configured run.
import { resolve } from "node:path";
import type { Command } from "commander";
import { renderJson } from "../report/json.js";
import { renderSarif } from "../report/sarif.js";
import type { FailOn, Report } from "../report/types.js";
import { run, type RunOptions } from "../run.js";
import type { Diff } from "../github/diff.js";
import type { BaseReader } from "../trusted.js";
import { writeOutputFile } from "../util/safe-fs.js";
import type { Scope } from "../verdict.js";
import { setupRun } from "./setup.js";
import type { GivenOptions } from "./settle.js";

/** --config, --no-config, --pack-cache, --offline. */
export function addConfigOptions(cmd: Command): Command {
  return cmd
    .option(
      "--config <file>",
      "configuration file (default: aigate.yml or .github/aigate.yml at the repository's top level; with --base, read from the base commit)",
    )
    .option("--no-config", "read no configuration file")
    .option(
      "--pack-cache <dir>",
      "folder where packs from other repositories and npm packages are cached (default: AIGATE_PACK_CACHE, else ~/.cache/aigate/packs); never inside the repository",
    )
    .option("--offline", "never fetch packs: use only the pack cache (also AIGATE_OFFLINE=1)");
}

/** The options the user set on the command line (not commander's defaults): they override aigate.yml. */
export function givenOptions(cmd: Command): GivenOptions {
  const o = cmd.opts() as { manifest?: string; policy?: string[]; failOn?: FailOn; scope?: Scope; baseline?: string };
  const set = (k: string) => cmd.getOptionValueSource(k) === "cli";
  return {
    manifest: set("manifest") ? o.manifest : undefined,
    policy: set("policy") ? o.policy : undefined,
    failOn: set("failOn") ? o.failOn : undefined,
    scope: set("scope") ? o.scope : undefined,
    baseline: set("baseline") ? o.baseline : undefined,
  };
}

export interface ConfiguredRunOptions {
  root: string;
  cwd: string;
  today?: string;
  base: BaseReader | null;
  diff: Diff | null;
  /** Always this fail-on (baseline: never). */
  failOn?: FailOn;
  /** The repository the report is about (owner/name), when the caller knows it. */
  repository?: string;
  /** Write the configuration's output files (check does; baseline does not). */
  writeOutputs?: boolean;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Further run options the command line sets itself (scan cache, threads, ...). */
  extra?: Partial<RunOptions>;
}

/** Loads the configuration, runs with the settled options, finishes the report and writes the configured outputs. */
export async function configuredRun(cmd: Command, o: ConfiguredRunOptions): Promise<Report> {
  const flags = cmd.opts() as { config?: string | false; packCache?: string; offline?: boolean };
  const setup = await setupRun({
    root: o.root,
    cwd: o.cwd,
    base: o.base,
    config: flags.config,
    given: givenOptions(cmd),
    packCache: flags.packCache,
    offline: flags.offline,
    env: o.env,
    log: o.log,
  });
  const s = setup.settings;
  const notes: string[] = [];
  let scope = s.scope;
  if (scope === "changed" && !o.base) {
    notes.push(
      `${setup.loaded.file ?? "The configuration"} sets scope: changed, but without --base there is no change to compare: every finding can fail the gate.`,
    );
    scope = "all";
  }
  let report: Report;
  try {
    report = await run({
      ...o.extra,
      root: o.root,
      manifestGlob: s.manifestGlob,
      policyFiles: s.policyFiles,
      failOn: o.failOn ?? s.failOn,
      today: o.today,
      scope,
      baseline: s.baseline,
      base: o.base,
      diff: o.diff,
      cwd: o.cwd,
      notes,
    });
    for (const src of setup.sources.recorded())
      if (!src.pinned)
        o.log(`pack ${src.ref} was used at ${src.kind === "github" ? "commit" : "version"} ${src.resolved} (recorded in the report's policy.sources)`);
    await setup.finish(report, { repository: o.repository ? { name: o.repository, commit: null } : null });
  } finally {
    setup.done();
  }
  if (o.writeOutputs) {
    // Only aigate.yml names these: they are written inside its repository, never through a symbolic link.
    const within = setup.loaded.dir;
    if (s.outputs.report) await writeOutputFile(resolve(o.cwd, s.outputs.report), renderJson(report), { within });
    if (s.outputs.sarif) await writeOutputFile(resolve(o.cwd, s.outputs.sarif), renderSarif(report), { within });
  }
  return report;
}
