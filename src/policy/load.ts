// Loads the built-in pack and any organisation packs: extends, rules, overrides and settings.
// A broken pack is the operator's configuration error: it raises a PackError located at
// file:line:column, which the CLI turns into exit status 2.
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { ValidateFunction } from "ajv/dist/2020.js";
import type { Taxonomy } from "../exchange/types.js";
import { makeLocator } from "../manifest/load.js";
import { packageRoot } from "../util/package-root.js";
import * as validators from "../generated/validators.js";
import { compileSchema, schemaProblems } from "../util/schema-errors.js";
import { didYouMean } from "../util/suggest.js";
import { parseYamlSource, type YamlSource } from "../util/yaml-source.js";
import { checkGlob } from "../util/glob.js";
import { CHECK_KINDS, checkKind } from "./checks/index.js";
import { resolveSelector } from "../crosswalk/index.js";
import { ConfigError } from "../errors.js";
import type { CheckKind, PolicyPack, Rule, RuleOverride } from "./types.js";
import { append } from "../util/append.js";

export class PackError extends Error {
  constructor(readonly problems: { file: string; line: number; column: number; message: string }[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join("\n"));
  }
}

export const BUILTIN_PACK = () => join(packageRoot(), "policies", "builtin", "pack.yaml");

interface RawPack {
  name: string;
  version: string;
  extends?: string[];
  rules?: Rule[];
  overrides?: RuleOverride[];
  settings?: Record<string, unknown>;
}

const SNAPSHOT = () => join(packageRoot(), "src", "generated", "builtin-pack.json");

/**
 * The built-in pack as loaded from policies/builtin/, serialised by `npm run generate` so that a
 * run does not parse and validate the same YAML every time (a test keeps it current).
 */
export async function builtinSnapshot(t: Taxonomy): Promise<PolicyPack> {
  const pack = await loadPacks(t, [], { cwd: packageRoot(), useSnapshot: false });
  return { ...pack, files: pack.files.map((f) => relative(packageRoot(), f)) };
}

// Each kind's full parameter schema, compiled once: the pack schema carries only its properties.
const paramValidators = new Map<string, ValidateFunction>();

function paramsValidator(kind: CheckKind): ValidateFunction {
  let v = paramValidators.get(kind.meta.kind);
  if (!v) {
    const schema = kind.meta.paramsSchema;
    const properties = { kind: { const: kind.meta.kind }, ...((schema.properties as object | undefined) ?? {}) };
    v = compileSchema({
      ...schema,
      type: "object",
      properties,
      required: ["kind", ...((schema.required as string[] | undefined) ?? [])],
      additionalProperties: false,
    });
    paramValidators.set(kind.meta.kind, v);
  }
  return v;
}

/** A validator for `check` that reports its errors at their place in the pack (below `at`). */
function atPointer(validate: ValidateFunction, at: string): ValidateFunction {
  const wrapped = ((data: unknown) => {
    const ok = validate(data);
    const errors = validate.errors ?? [];
    // An unmet anyOf says what is missing; the branches' own errors would repeat it.
    const anyOf = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => `${e.instancePath}|${e.schemaPath}`));
    const inBranch = (e: (typeof errors)[number]) =>
      [...anyOf].some((a) => {
        const [path, schemaPath] = a.split("|");
        return e.instancePath === path && e.schemaPath.startsWith(`${schemaPath}/`);
      });
    wrapped.errors = ok ? null : errors.filter((e) => !inBranch(e)).map((e) => ({ ...e, instancePath: at + e.instancePath }));
    return ok;
  }) as ValidateFunction;
  return wrapped;
}

/**
 * What is wrong with a rule's check beyond the pack schema: its parameters against the kind's whole
 * schema, what the kind's `validate` checks (globs, observation kinds), and message placeholders
 * that the kind never fills (they would reach the finding as written).
 */
function ruleCheckProblems(rule: Rule, base: string, src: YamlSource): { pointer: string; offset?: number; key?: boolean; message: string }[] {
  const kind = checkKind(rule.check.kind);
  if (!kind)
    return [
      {
        pointer: `${base}/check/kind`,
        message: `unknown check kind "${rule.check.kind}"${didYouMean(
          rule.check.kind,
          CHECK_KINDS.map((k) => k.meta.kind),
        )}`,
      },
    ];
  const schema = schemaProblems(src, atPointer(paramsValidator(kind), `${base}/check`), rule.check);
  if (schema.length) return schema.map((p) => ({ pointer: p.pointer, offset: p.offset, message: p.message }));
  const invalid = kind.validate?.(rule.check);
  if (invalid)
    return [
      typeof invalid === "string"
        ? { pointer: `${base}/check`, message: invalid }
        : { pointer: `${base}/check${invalid.at}`, key: invalid.key, message: invalid.message },
    ];
  const allowed = kind.placeholders?.(rule.check) ?? kind.meta.placeholders;
  for (const [, name] of rule.message.matchAll(/\{(\w+)\}/g)) {
    if (allowed.includes(name!)) continue;
    const listed =
      allowed
        .slice(0, 12)
        .map((x) => `{${x}}`)
        .join(", ") + (allowed.length > 12 ? ", ..." : "");
    return [
      {
        pointer: `${base}/message`,
        message: `message placeholder {${name}} is not a value the ${kind.meta.kind} check gives${didYouMean(name!, allowed)} (it gives ${listed || "none"})`,
      },
    ];
  }
  return [];
}

/** Loads packs in order (the built-in one first unless told otherwise) and merges them. */
/** Reads one pack file (`from`: the pack that extends it); null leaves the pack out (its change is pending). */
export type PackReader = (file: string, from?: string) => Promise<string | null>;

/**
 * Packs from pinned sources (github:owner/repo/path@sha, npm:name@version#integrity; src/packs/):
 * the CLI and the Action set this before a run. A reference resolves to a file of its source,
 * read through the source (checked against its pin), never through the repository's reader; a
 * fetched pack's `extends` stays within its own source.
 */
export interface PinnedPacks {
  isReference(ref: string): boolean;
  /** The file a reference names, as a path inside its source's folder. */
  resolve(ref: string): Promise<string>;
  /** The pinned source a file belongs to, and how to name its files in messages. */
  sourceOf(file: string): { root: string; name: (file: string) => string } | null;
  /** A file of a pinned source, checked against the pin. */
  read(file: string): Promise<string>;
}

let pinnedPacks: PinnedPacks | null = null;

/** Sets (or with null, clears) how pack references to pinned sources are resolved. */
export function usePinnedPacks(p: PinnedPacks | null): void {
  pinnedPacks = p;
}

const PACK_REFERENCE = /^(github|npm):/;

export async function loadPacks(
  t: Taxonomy,
  files: string[],
  opts: { builtin?: boolean; cwd?: string; useSnapshot?: boolean; read?: PackReader } = {},
): Promise<PolicyPack> {
  // Compiled ahead of time (src/generated, `npm run generate`), like the manifest schema.
  const validator: ValidateFunction = validators.pack;
  void t;
  const order: string[] = [];
  const rules = new Map<string, Rule>();
  const overrides: { o: RuleOverride; where: { file: string; line: number; column: number } }[] = [];
  const settings: Record<string, unknown> = {};
  const problems: PackError["problems"] = [];
  const display = (f: string) => pinnedPacks?.sourceOf(f)?.name(f) ?? (relative(opts.cwd ?? process.cwd(), f) || f);
  let name = "aigate-builtin";
  let version = "0";

  const loadOne = async (file: string, chain: string[]): Promise<void> => {
    if (chain.includes(file)) {
      problems.push({ file: display(file), line: 1, column: 1, message: `extends forms a cycle: ${[...chain, file].map(display).join(" -> ")}` });
      return;
    }
    if (order.includes(file)) return;
    let text: string;
    try {
      const read = pinnedPacks?.sourceOf(file)
        ? await pinnedPacks.read(file)
        : opts.read && !file.startsWith(packageRoot())
          ? await opts.read(file, chain.at(-1))
          : await readFile(file, "utf8");
      if (read === null) return;
      text = read;
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      problems.push({
        file: display(file),
        line: 1,
        column: 1,
        message: `cannot read policy pack: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      });
      return;
    }
    const src = parseYamlSource(text);
    const locate = makeLocator(display(file), src);
    const fail = (offset: number, message: string) => problems.push({ file: display(file), ...src.position(offset), message });
    for (const p of src.problems) fail(p.offset, p.message);
    if (src.problems.some((p) => p.fatal)) return;
    const before = problems.length;
    for (const p of schemaProblems(src, validator, src.value)) fail(p.offset, p.message);
    if (problems.length > before) return;
    const pack = src.value as RawPack;
    for (const [i, ext] of (pack.extends ?? []).entries()) {
      const target = await extendsTarget(file, ext, (message) => {
        const at = locate(`/extends/${i}`);
        problems.push({ file: at.path, line: at.line, column: at.column, message });
      });
      if (target) await loadOne(target, [...chain, file]);
    }
    order.push(file);
    name = pack.name;
    version = pack.version;
    (pack.rules ?? []).forEach((rule, i) => {
      const where = locate(`/rules/${i}/id`);
      if (rules.has(rule.id)) {
        problems.push({
          file: where.path,
          line: where.line,
          column: where.column,
          message: `rule "${rule.id}" is defined twice (first in ${rules.get(rule.id)!.origin?.path}); change it with overrides instead`,
        });
        return;
      }
      const checkProblems = ruleCheckProblems(rule, `/rules/${i}`, src);
      if (checkProblems.length) {
        for (const p of checkProblems) {
          const at = p.offset !== undefined ? { path: display(file), ...src.position(p.offset) } : locate(p.pointer, p.key ? "key" : "value");
          problems.push({ file: at.path, line: at.line, column: at.column, message: `rule "${rule.id}": ${p.message}` });
        }
        return;
      }
      for (const [j, g] of (rule.paths ?? []).entries()) {
        const problem = checkGlob(g);
        if (problem) {
          const at = locate(`/rules/${i}/paths/${j}`);
          problems.push({ file: at.path, line: at.line, column: at.column, message: `rule "${rule.id}": paths: ${problem}` });
          return;
        }
      }
      // when.standards names standards and items of the crosswalk (policies/crosswalk/).
      const badStandard = (rule.when?.standards ?? []).map((s, j) => [j, resolveSelector(s, { itemAllowed: true })] as const).find(([, r]) => "error" in r);
      if (badStandard) {
        const at = locate(`/rules/${i}/when/standards/${badStandard[0]}`);
        problems.push({
          file: at.path,
          line: at.line,
          column: at.column,
          message: `rule "${rule.id}": when.standards: ${(badStandard[1] as { error: string }).error}`,
        });
        return;
      }
      rules.set(rule.id, { ...rule, origin: where });
    });
    (pack.overrides ?? []).forEach((o, i) => {
      for (const [j, g] of (o.paths ?? []).entries()) {
        const problem = checkGlob(g);
        if (problem) {
          const at = locate(`/overrides/${i}/paths/${j}`);
          problems.push({ file: at.path, line: at.line, column: at.column, message: `override of "${o.rule}": paths: ${problem}` });
          return;
        }
      }
      const w = locate(`/overrides/${i}/rule`);
      overrides.push({ o, where: { file: w.path, line: w.line, column: w.column } });
    });
    for (const [k, v] of Object.entries(pack.settings ?? {})) {
      settings[k] = Array.isArray(v) && Array.isArray(settings[k]) ? [...(settings[k] as unknown[]), ...v] : v;
    }
  };

  if (opts.builtin !== false) {
    const snapshot =
      opts.useSnapshot === false
        ? undefined
        : await readFile(SNAPSHOT(), "utf8").then(
            (x) => JSON.parse(x) as PolicyPack,
            () => undefined,
          );
    if (snapshot) {
      for (const r of snapshot.rules) rules.set(r.id, r);
      append(
        order,
        snapshot.files.map((f) => join(packageRoot(), f)),
      );
      Object.assign(settings, snapshot.settings);
      name = snapshot.name;
      version = snapshot.version;
    } else await loadOne(BUILTIN_PACK(), []);
  }
  for (const f of files) {
    if (PACK_REFERENCE.test(f) && !pinnedPacks)
      throw new ConfigError(`${f}: pack references to other repositories and packages are resolved by aigate check, aigate baseline and the Action`);
    await loadOne(pinnedPacks?.isReference(f) ? await pinnedPacks.resolve(f) : resolve(opts.cwd ?? process.cwd(), f), []);
  }

  for (const { o, where } of overrides) {
    const rule = rules.get(o.rule);
    if (!rule) {
      problems.push({ ...where, message: `override names unknown rule "${o.rule}"${didYouMean(o.rule, [...rules.keys()])}` });
      continue;
    }
    rules.set(o.rule, {
      ...rule,
      ...(o.enabled !== undefined && { enabled: o.enabled }),
      ...(o.severity && { severity: o.severity }),
      ...(o.paths && { paths: o.paths }),
    });
  }
  if (problems.length) throw new PackError(problems);
  return { name, version, rules: [...rules.values()], settings, files: order };
}

/** The file an `extends` entry names; null (after `fail`) when a pinned source's pack reaches outside it. */
async function extendsTarget(from: string, ext: string, fail: (message: string) => void): Promise<string | null> {
  const source = pinnedPacks?.sourceOf(from) ?? null;
  if (PACK_REFERENCE.test(ext)) {
    if (!pinnedPacks) {
      fail(`extends ${ext}: pack references are resolved by aigate check, aigate baseline and the Action`);
      return null;
    }
    if (source) {
      fail(`extends ${ext}: a pack from ${source.name(from)} may extend only files of its own source`);
      return null;
    }
    return pinnedPacks.resolve(ext);
  }
  const target = resolve(dirname(from), ext);
  if (source) {
    const r = relative(source.root, target);
    if (r === "" || r.startsWith("..") || isAbsolute(r)) {
      fail(`extends ${ext}: leaves the pinned source of ${source.name(from)} (a fetched pack may extend only files of its own source)`);
      return null;
    }
  }
  return target;
}
