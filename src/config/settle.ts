// Settles what a run uses from the configuration file and from the flags or inputs: a flag or an
// input the operator set wins; what they left unset comes from aigate.yml; the rest from
// aigate's defaults. Paths in aigate.yml are relative to the repository's top level.
import { isAbsolute, join, relative } from "node:path";
import { isPackReference } from "../packs/ref.js";
import type { FailOn } from "../report/types.js";
import type { Scope } from "../verdict.js";
import type { LoadedConfig } from "./load.js";

/** What the operator set on the command line or as Action inputs (undefined: not set). */
export interface GivenOptions {
  manifest?: string;
  policy?: string[];
  failOn?: FailOn;
  scope?: Scope;
  baseline?: string;
  outputs?: { report?: string; sarif?: string; bom?: string };
}

export interface Settings {
  manifestGlob?: string;
  /** Packs in order: paths (absolute, or relative to the working folder as given) and pack references. */
  policyFiles: string[];
  failOn: FailOn;
  scope: Scope;
  /** The baseline file (absolute, or relative to the working folder as given). */
  baseline?: string;
  /** Globs relative to the repository's top level whose files are left out of the report. */
  ignore: string[];
  /** Output files (absolute, or relative to the working folder as given). */
  outputs: { report?: string; sarif?: string; bom?: string };
  allowMovingPackRefs: boolean;
  /** Which settings came from the configuration file, for the report's notes. */
  fromConfig: string[];
}

/** `p` from the configuration file as a path the run can use: relative to `cwd` when inside it, else absolute. */
function fromConfigDir(dir: string, p: string, cwd: string): string {
  const abs = join(dir, p);
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
}

export function settle(loaded: LoadedConfig, given: GivenOptions, cwd: string): Settings {
  const c = loaded.config ?? { apiVersion: "aigate/v1" as const };
  const from: string[] = [];
  const pick = <T>(name: string, flag: T | undefined, conf: T | undefined): T | undefined => {
    if (flag !== undefined) return flag;
    if (conf !== undefined) from.push(name);
    return conf;
  };
  const packs = given.policy !== undefined ? given.policy : c.packs?.map((p) => (isPackReference(p) ? p : fromConfigDir(loaded.dir, p, cwd)));
  if (given.policy === undefined && c.packs) from.push("packs");
  const out = (k: "report" | "sarif" | "bom") =>
    pick(`outputs.${k}`, given.outputs?.[k], c.outputs?.[k] ? fromConfigDir(loaded.dir, c.outputs[k]!, cwd) : undefined);
  const settings: Settings = {
    manifestGlob: pick("manifest", given.manifest, c.manifest),
    policyFiles: packs ?? [],
    failOn: pick("failOn", given.failOn, c.failOn) ?? "error",
    scope: pick("scope", given.scope, c.scope) ?? "all",
    baseline: pick("baseline", given.baseline, c.baseline ? fromConfigDir(loaded.dir, c.baseline, cwd) : undefined),
    ignore: c.ignore ?? [],
    outputs: { report: out("report"), sarif: out("sarif"), bom: out("bom") },
    allowMovingPackRefs: c.allowMovingPackRefs === true,
    fromConfig: from,
  };
  if (c.ignore?.length) from.push("ignore");
  return settings;
}
