// The repository's aigate configuration: aigate.yml at the top level or in .github/. It holds what
// the CLI flags and the Action's inputs hold (packs, fail-on, scope, ignore, baseline, outputs) for
// a whole repository; flags and inputs override it (settle.ts). It is gate configuration like the
// packs and the baseline: when a base commit is known it is read from the base, and what the
// change does to it is pending (listed for review, never applied to the change's own verdict).
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from "node:path";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { ConfigError } from "../errors.js";
import { makeLocator } from "../manifest/load.js";
import { isPackReference, parsePackRef, PackRefError } from "../packs/ref.js";
import type { FailOn, PendingException } from "../report/types.js";
import type { BaseReader } from "../trusted.js";
import { findRepository, readBlobAtCommit, type Repo } from "../util/git.js";
import { checkGlob } from "../util/glob.js";
import { packageRoot } from "../util/package-root.js";
import { isInside, readRegularFile, readRepoFile, UnsafePathError } from "../util/safe-fs.js";
import { compileSchema, schemaProblems } from "../util/schema-errors.js";
import { parseYamlSource } from "../util/yaml-source.js";
import type { Scope } from "../verdict.js";

/** Where aigate looks for its configuration, relative to the repository's top level, in this order. */
export const CONFIG_FILES = ["aigate.yml", "aigate.yaml", ".github/aigate.yml", ".github/aigate.yaml"] as const;

/** A configuration file larger than this is not read. */
export const MAX_CONFIG_FILE_BYTES = 256 * 1024;

export interface AigateConfig {
  apiVersion: "aigate/v1";
  manifest?: string;
  packs?: string[];
  failOn?: FailOn;
  scope?: Scope;
  baseline?: string;
  ignore?: string[];
  outputs?: { report?: string; sarif?: string; bom?: string };
  allowMovingPackRefs?: boolean;
}

export interface LoadedConfig {
  /** The configuration that applies; null when there is none. */
  config: AigateConfig | null;
  /** The file it came from, relative to the repository's top level (or as given); null when none. */
  file: string | null;
  /** The folder its relative paths start from: the repository's top level. */
  dir: string;
  /** Where it was read: "the base commit 0123456789ab (git)", "the checkout", or "none". */
  source: string;
  /** What the change under review does to it (it applies after review). */
  pending: PendingException[];
  /** Plain-language notes for the report. */
  notes: string[];
}

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** An invalid configuration file: the operator's configuration error (exit 2), located in the file. */
export class ConfigFileError extends ConfigError {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join("\n"));
  }
}

let validator: ValidateFunction | undefined;

/** The compiled schemas/aigate-config.schema.json. */
export function configValidator(): ValidateFunction {
  validator ??= compileSchema(JSON.parse(readFileSync(join(packageRoot(), "schemas", "aigate-config.schema.json"), "utf8")) as Record<string, unknown>);
  return validator;
}

export interface LoadConfigOptions {
  /** The folder being checked: the configuration is looked for at the top of its repository (else in it). */
  root: string;
  /** A configuration file named by the operator (`--config`, the Action's `config`), relative to `cwd`. */
  explicit?: string | null;
  /** false: read no configuration file (`--no-config`). */
  enabled?: boolean;
  cwd?: string;
  /** The base commit whose configuration is trusted; null when the checkout is trusted. */
  base?: BaseReader | null;
  /** The repository (default: found from `root`). */
  repo?: Repo | null;
}

const NONE = (dir: string, source = "none"): LoadedConfig => ({ config: null, file: null, dir, source, pending: [], notes: [] });

const toPosix = (p: string) => p.split(sep).join("/");

/** The file's text in the checkout, or null when it does not exist there. */
async function checkoutText(top: string, repoPath: string): Promise<string | null> {
  try {
    return (await readRepoFile(top, repoPath, MAX_CONFIG_FILE_BYTES)).toString("utf8");
  } catch (e) {
    if (e instanceof UnsafePathError && e.code === "missing") return null;
    throw new ConfigError(`cannot read ${repoPath}: ${(e as Error).message}`);
  }
}

/**
 * Finds and reads the configuration. With a base commit, the base's file applies: edits to it, a
 * new file or a deleted one are pending. Without one, the checkout's file applies.
 */
export async function loadConfig(opts: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const repo = opts.repo === undefined ? await findRepository(opts.root) : opts.repo;
  const top = repo?.top ?? resolve(opts.root);
  if (opts.enabled === false) return NONE(top);
  const base = opts.base ?? null;
  const shown = (repoPath: string) => toPosix(relative(cwd, join(top, repoPath))) || repoPath;

  if (opts.explicit) {
    const abs = resolve(cwd, opts.explicit);
    if (!isInside(top, abs) || !base) {
      const inRepo = isInside(top, abs);
      let text: string;
      try {
        // Inside the repository no symbolic link is followed; a file outside it is the operator's.
        text = (inRepo ? await readRepoFile(top, relative(top, abs), MAX_CONFIG_FILE_BYTES) : await readRegularFile(abs, MAX_CONFIG_FILE_BYTES)).toString(
          "utf8",
        );
      } catch (e) {
        throw new ConfigError(`cannot read the configuration file ${opts.explicit}: ${(e as Error).message}`);
      }
      // A file outside the checked repository (an organisation's central configuration) points from its own repository.
      const dir = inRepo ? top : ((await findRepository(dirname(abs)))?.top ?? dirname(abs));
      return { ...NONE(dir, "the checkout"), config: parseConfig(text, opts.explicit), file: opts.explicit };
    }
    return fromBase(top, repo, base, [toPosix(relative(top, abs))], shown);
  }

  // A checkout without history (the Action's default) reads the base through the API: no repo here.
  if (base) return fromBase(top, repo, base, [...CONFIG_FILES], shown);

  const found: { path: string; text: string }[] = [];
  for (const p of CONFIG_FILES) {
    const text = await checkoutText(top, p);
    if (text !== null) found.push({ path: p, text });
  }
  if (found.length > 1) throw new ConfigError(`${found.map((f) => f.path).join(" and ")} are both aigate configuration files: keep one`);
  if (found.length === 0) return NONE(top);
  return { ...NONE(top, "the checkout"), config: parseConfig(found[0]!.text, shown(found[0]!.path)), file: found[0]!.path };
}

/** The base commit's configuration applies; the change's edits, additions and deletions are pending. */
async function fromBase(top: string, repo: Repo | null, base: BaseReader, candidates: string[], shown: (p: string) => string): Promise<LoadedConfig> {
  const at = `the base commit ${base.commit.slice(0, 12)}`;
  const atBase: { path: string; text: string }[] = [];
  // Asked side by side (each is a git command or an API request), kept in the candidates' order.
  const texts = await Promise.all(candidates.map((p) => base.read(p)));
  candidates.forEach((p, i) => {
    const text = texts[i];
    if (text !== null && text !== undefined) atBase.push({ path: p, text });
  });
  if (atBase.length > 1) throw new ConfigError(`${atBase.map((f) => f.path).join(" and ")} are both aigate configuration files at ${at}: keep one`);
  const out: LoadedConfig = { ...NONE(top, `${at} (${base.via})`) };
  const chosen = atBase[0];
  if (chosen) {
    out.file = chosen.path;
    try {
      out.config = parseConfig(chosen.text, shown(chosen.path));
    } catch (e) {
      if (e instanceof ConfigFileError)
        throw new ConfigFileError(e.problems.map((p) => ({ ...p, message: `${p.message} (in the version at ${at}, which applies to this change)` })));
      throw e;
    }
  }
  for (const p of candidates) {
    const now = await checkoutText(top, p);
    const before = atBase.find((f) => f.path === p)?.text ?? null;
    if (now === before) continue;
    // A file git does not track is not part of the change (a local experiment): say so, apply nothing.
    const tracked = now === null || !repo || (await readBlobAtCommit(repo, "HEAD", p, MAX_CONFIG_FILE_BYTES).catch(() => null)) !== null;
    if (!tracked) {
      out.notes.push(`${p} is not committed; the configuration at ${at} applies.`);
      continue;
    }
    const description =
      before === null
        ? `new configuration file ${p} (not loaded${chosen ? `; ${chosen.path} at the base applies` : ""})`
        : now === null
          ? `deletes configuration file ${p} (the base version applies)`
          : `edits to configuration file ${p} (the base version applies)`;
    out.pending.push({ kind: "config", path: p, line: 1, system: null, description, covers: [] });
  }
  return out;
}

/** Parses and validates one configuration file's text; throws ConfigFileError with every problem located. */
export function parseConfig(text: string, display: string): AigateConfig {
  const src = parseYamlSource(text);
  const problems: ConfigProblem[] = [];
  const fail = (offset: number, message: string) => problems.push({ file: display, ...src.position(offset), message });
  for (const p of src.problems) fail(p.offset, p.message);
  if (src.problems.some((p) => p.fatal)) throw new ConfigFileError(problems);
  if (src.value === null || src.value === undefined) {
    problems.push({ file: display, line: 1, column: 1, message: "the configuration file is empty (it needs at least apiVersion: aigate/v1)" });
    throw new ConfigFileError(problems);
  }
  for (const p of schemaProblems(src, configValidator(), src.value)) fail(p.offset, p.message);
  if (problems.length) throw new ConfigFileError(problems);
  const config = src.value as AigateConfig;
  const locate = makeLocator(display, src);
  const at = (pointer: string, message: string) => {
    const l = locate(pointer);
    problems.push({ file: display, line: l.line, column: l.column, message });
  };
  if (config.manifest) {
    const p = checkGlob(config.manifest);
    if (p) at("/manifest", `manifest glob: ${p}`);
  }
  (config.ignore ?? []).forEach((g, i) => {
    const p = checkGlob(g);
    if (p) at(`/ignore/${i}`, `ignore glob ${JSON.stringify(g)}: ${p}`);
  });
  (config.packs ?? []).forEach((ref, i) => {
    if (isPackReference(ref)) {
      try {
        const parsed = parsePackRef(ref);
        if (!parsed.pinned && config.allowMovingPackRefs !== true)
          at(
            `/packs/${i}`,
            `${ref} is a moving reference (${parsed.why}): pin it (${parsed.kind === "github" ? "a full 40-character commit SHA after @" : "an exact version and its integrity hash after #, as npm view <package>@<version> dist.integrity prints"}), or set allowMovingPackRefs: true to accept that the pack may change under the gate`,
          );
      } catch (e) {
        if (!(e instanceof PackRefError)) throw e;
        at(`/packs/${i}`, e.message);
      }
    } else {
      const problem = repoPathProblem(ref);
      if (problem) at(`/packs/${i}`, `pack ${JSON.stringify(ref)} ${problem}`);
    }
  });
  if (config.baseline) {
    const problem = repoPathProblem(config.baseline);
    if (problem) at("/baseline", `baseline ${problem}`);
  }
  for (const k of ["report", "sarif", "bom"] as const) {
    const v = config.outputs?.[k];
    const problem = v ? repoPathProblem(v) : null;
    if (problem) at(`/outputs/${k}`, `outputs.${k} ${problem}`);
  }
  if (problems.length) throw new ConfigFileError(problems.sort((a, b) => a.line - b.line || a.column - b.column));
  return config;
}

/** Paths in the configuration stay inside the repository: relative, without climbing out. */
function repoPathProblem(p: string): string | null {
  if (isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p)) return "must be a path relative to the repository's top level";
  const n = posix.normalize(p.split("\\").join("/"));
  if (n === ".." || n.startsWith("../")) return "is outside the repository";
  return null;
}
