// The package's data files (the taxonomy, the diagnostics catalogue, the scanners' lists and
// patterns), each read once, checked against its JSON Schema in schemas/data/ and returned typed.
// A file whose text `npm run generate` validated (src/generated/data-digests.json) is not checked
// again; an edited one is, with its schema compiled then (only while data is being edited, so a run
// does not load 400 KB of generated validators it never calls).
// Adding a data file: put it under policies/ (with a source per entry), write its schema in
// schemas/data/, add one line to DATA_FILES, run `npm run generate`, and read it with loadData();
// a test validates every registered file and fails on a data file under policies/ that is not registered.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { packageRoot } from "./package-root.js";
import { compileSchema } from "./schema-errors.js";

/** Every data file (path from the package root) and the schema it must match: one line per file. */
export const DATA_FILES = {
  "src/exchange/data/ai-exchange-taxonomy.json": "schemas/data/ai-exchange-taxonomy.schema.json",
  "policies/diagnostics.yaml": "schemas/data/diagnostics.schema.json",
  "policies/crosswalk/generated.json": "schemas/data/crosswalk.schema.json",
  "policies/crosswalk/reviewed.yaml": "schemas/data/crosswalk.schema.json",
  "policies/advisories/ai-ml-advisories.json": "schemas/data/ai-ml-advisories.schema.json",
  "policies/code/patterns.json": "schemas/data/code-patterns.schema.json",
  "policies/data/column-names.json": "schemas/data/data-column-names.schema.json",
  "policies/data/detectors.json": "schemas/data/data-detectors.schema.json",
  "policies/data/formats.json": "schemas/data/data-formats.schema.json",
  "policies/data/secrets.json": "schemas/data/data-secrets.schema.json",
  "policies/dependencies/ai-libraries.json": "schemas/data/ai-libraries.schema.json",
  "policies/models/allowlist.json": "schemas/data/model-allowlist.schema.json",
  "policies/models/compat-pickle.json": "schemas/data/compat-pickle.schema.json",
  "policies/models/denylist.json": "schemas/data/model-denylist.schema.json",
  "policies/models/formats.json": "schemas/data/model-formats.schema.json",
  "policies/models/hosted-model-names.json": "schemas/data/hosted-model-names.schema.json",
} as const;

export type DataFile = keyof typeof DATA_FILES;

/** A data file of the package that does not match its schema: a packaging error, never a user's. */
export class DataFileError extends Error {}

const loaded = new Map<DataFile, unknown>();

/** Parses a data file's text (JSON, or YAML for .yaml/.yml: from the snapshot when it is of this text, `digest` its sha1). */
function parseData(name: string, text: string, digest: string): unknown {
  if (!/\.ya?ml$/.test(name)) return JSON.parse(text);
  const hit = yamlSnapshot()[name];
  return hit && hit.sha1 === digest ? hit.value : parse(text);
}

/**
 * The YAML data files as JSON, written by `npm run generate` (src/generated/yaml-data.json): parsing
 * YAML costs a run ~100 ms for the crosswalk alone. Each entry carries the sha1 of the text it was
 * made from, so an edited file is parsed as it is, never read stale.
 */
export const YAML_SNAPSHOT = "src/generated/yaml-data.json";
let snapshot: Record<string, { sha1: string; value: unknown }> | undefined;
function yamlSnapshot(): Record<string, { sha1: string; value: unknown }> {
  const file = join(packageRoot(), YAML_SNAPSHOT);
  snapshot ??= existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as typeof snapshot)! : {};
  return snapshot;
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/**
 * The sha1 of each data file's text that matched its schema when `npm run generate` last ran
 * (src/generated/data-digests.json, written with the validators): that text is not validated again
 * on every run. An edited file is validated as it is.
 */
export const DATA_DIGESTS = "src/generated/data-digests.json";
let digests: Record<string, unknown> | undefined;

/** True when `text` (of sha1 `digest`) is the text of `name` that was validated by `npm run generate`. */
export function isValidatedText(name: DataFile, text: string, digest = sha1(text)): boolean {
  if (!digests) {
    const file = join(packageRoot(), DATA_DIGESTS);
    const read = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as unknown) : {};
    digests = read && typeof read === "object" && !Array.isArray(read) ? (read as Record<string, unknown>) : {};
  }
  const want = Object.hasOwn(digests, name) ? digests[name] : undefined;
  return typeof want === "string" && want === digest;
}

/** The text of src/generated/data-digests.json: the sha1 of every data file that matches its schema as the schema file is now. */
export function generatedDataDigests(): string {
  const out: Record<string, string> = {};
  for (const name of (Object.keys(DATA_FILES) as DataFile[]).sort()) {
    const text = readFileSync(join(packageRoot(), name), "utf8");
    const value = /\.ya?ml$/.test(name) ? parse(text) : JSON.parse(text);
    if (!dataProblems(name, value)) out[name] = sha1(text);
  }
  return JSON.stringify(out, null, 2) + "\n";
}

/** The text of src/generated/yaml-data.json as the data files are now. */
export function generatedYamlSnapshot(): string {
  const out: Record<string, { sha1: string; value: unknown }> = {};
  for (const name of Object.keys(DATA_FILES)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()) {
    const text = readFileSync(join(packageRoot(), name), "utf8");
    out[name] = { sha1: sha1(text), value: parse(text) };
  }
  return JSON.stringify(out) + "\n";
}

const validators = new Map<string, ValidateFunction>();

/** A data file's schema, compiled once per run from the schema file as it is. */
function validatorFor(name: DataFile): ValidateFunction {
  const schemaFile = DATA_FILES[name];
  let v = validators.get(schemaFile);
  if (!v) validators.set(schemaFile, (v = compileSchema(JSON.parse(readFileSync(join(packageRoot(), schemaFile), "utf8")) as Record<string, unknown>)));
  return v;
}

/** What is wrong with a data file's value against its schema ("" when nothing). */
export function dataProblems(name: DataFile, value: unknown): string {
  const validate = validatorFor(name);
  if (validate(value)) return "";
  return (validate.errors ?? [])
    .slice(0, 5)
    .map(
      (e) =>
        `${e.instancePath || "/"} ${e.message ?? "is invalid"}${e.keyword === "additionalProperties" ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ""}`,
    )
    .join("; ");
}

/**
 * Reads a data file of the package once, validates it against its schema (DATA_FILES) and returns
 * it as `T`, the type its reader declares for what the schema guarantees.
 */
export function loadData<T>(name: DataFile): T {
  if (loaded.has(name)) return loaded.get(name) as T;
  const text = readFileSync(join(packageRoot(), name), "utf8");
  const digest = sha1(text);
  const value = parseData(name, text, digest);
  if (!isValidatedText(name, text, digest)) {
    const problems = dataProblems(name, value);
    if (problems) throw new DataFileError(`aigate: ${name} does not match ${DATA_FILES[name]}: ${problems}`);
  }
  const safe = withoutPrototypes(value);
  loaded.set(name, safe);
  return safe as T;
}

/**
 * The value with every object's prototype removed. Scanners look data up by names read from the
 * repository (`classes[name]`); with a prototype, `__proto__`, `constructor` or `toString` would
 * find Object.prototype's members instead of nothing.
 */
export function withoutPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrototypes);
  if (value === null || typeof value !== "object") return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k] = withoutPrototypes(v);
  return out;
}
