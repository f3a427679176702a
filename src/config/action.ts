// The Action's side of the configuration: on a pull request aigate.yml is read from the base
// commit (through git, else the contents API, like every other gate configuration), and an input
// the workflow sets overrides it. The runner gives every input its default from action.yml, so an
// input left at (or set to) its default leaves the choice to aigate.yml.
import type { Octokit } from "../github/client.js";
import type { RunContext } from "../github/context.js";
import type { FailOn } from "../report/types.js";
import { apiBaseReader, firstAvailable, gitBaseReader, type BaseReader } from "../trusted.js";
import { findRepository } from "../util/git.js";
import type { Scope } from "../verdict.js";
import { setupRun, type RunSetup } from "./setup.js";
import type { GivenOptions } from "./settle.js";

/** The defaults action.yml gives the inputs aigate.yml may also set. */
export const ACTION_DEFAULTS = {
  manifest: "**/ai-system.{yaml,yml}",
  "fail-on": "error",
  scope: "all",
  "report-file": "aigate-report.json",
  baseline: "",
  "sarif-file": "",
  "bom-file": "",
} as const;

export interface ActionConfigInputs {
  manifest: string;
  policy: string[];
  "fail-on": string;
  scope: string;
  baseline: string;
  "report-file": string;
  "sarif-file": string;
  "bom-file": string;
  /** The `config` input: a configuration file relative to the workspace; "none" reads none. */
  config: string;
  /** Token for github: pack references (the `pack-token` input, else `github-token`). */
  packToken: string;
}

/** The pull request's base commit, read through git or the API (the same readers readChange uses). */
export async function pullRequestBase(ctx: RunContext, client: Octokit | null, root: string): Promise<BaseReader | null> {
  if (!ctx.pull?.baseSha) return null;
  const repo = await findRepository(root);
  const readers: BaseReader[] = [];
  if (repo) readers.push(gitBaseReader(repo, ctx.pull.baseSha));
  if (client) readers.push(apiBaseReader(client, ctx.owner, ctx.repo, ctx.pull.baseSha));
  return readers.length ? firstAvailable(readers) : null;
}

export function givenInputs(i: ActionConfigInputs): GivenOptions {
  const set = (name: keyof typeof ACTION_DEFAULTS) => {
    const v = i[name].trim();
    return v !== "" && v !== ACTION_DEFAULTS[name] ? v : undefined;
  };
  return {
    manifest: set("manifest"),
    policy: i.policy.length ? i.policy : undefined,
    failOn: set("fail-on") as FailOn | undefined,
    scope: set("scope") as Scope | undefined,
    baseline: set("baseline"),
    outputs: { report: set("report-file"), sarif: set("sarif-file"), bom: set("bom-file") },
  };
}

export async function actionConfig(o: {
  root: string;
  workspace: string;
  ctx: RunContext;
  client: Octokit | null;
  env: NodeJS.ProcessEnv;
  inputs: ActionConfigInputs;
  log: (line: string) => void;
}): Promise<RunSetup> {
  const base = await pullRequestBase(o.ctx, o.client, o.root);
  const config = o.inputs.config.trim();
  return setupRun({
    root: o.root,
    cwd: o.workspace,
    base,
    config: config === "none" ? false : config || null,
    given: givenInputs(o.inputs),
    env: o.env,
    github: { apiUrl: o.ctx.apiUrl, token: o.inputs.packToken || null },
    forbidden: [o.workspace],
    log: o.log,
  });
}
