// `aigate init [dir]`: a starting ai-system.yaml that says what it knows. Every value inferred from
// the repository carries a comment naming its source (a file and line, the scanner that found it);
// every value aigate could not infer is written as an explicit question, a comment with the marker
// `UNKNOWN:` that says what to answer, and `aigate check` reports each question left as an error
// (`manifest-open-question`, see openQuestions below). No mitigation is claimed that the code does
// not show: a tool's approval is `never` until its owner answers, and a tool whose privileges the
// code does not show is assumed to write.
//
// What is inferred: profile facts from the code; models from the model files the models scanner
// found (with the sha256 it computed), hub downloads, and literal model names of the major hosted
// APIs (policies/models/hosted-model-names.json); tools from Python and JS/TS definitions, with the
// privileges of the calls they make (`execute` for a subprocess); datasets from the data
// scanner's files, with specific globs and the personal data it found; the owner from CODEOWNERS.
// Folders with their own manifest (sub-systems) are left out.
//
// Every value taken from the repository (names, paths, ids, revisions) is written by the YAML
// library as a scalar, never pasted into text; comments carry it with line breaks and control
// characters escaped, so a hostile name cannot add keys or lines.
import { posix, relative, resolve, sep } from "node:path";
import ignore from "ignore";
import { Document, isMap, isScalar, isSeq, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import { loadTaxonomy } from "./exchange/taxonomy.js";
import type { Diagnostic } from "./findings/diagnostics.js";
import type { CodeFacts } from "./inventory/scanners/code/scanner.js";
import { SCANNERS } from "./inventory/scanners/index.js";
import { manifestFormat } from "./inventory/scanners/models/formats/index.js";
import { scanContext } from "./inventory/context.js";
import { codePatterns } from "./inventory/scanners/code/patterns.js";
import type { ModelArtifact, Observation, RepoFile } from "./inventory/types.js";
import { walkRepository } from "./inventory/walk.js";
import type { System } from "./manifest/types.js";
import { loadPacks } from "./policy/load.js";
import { findRepository } from "./util/git.js";
import { packageRoot } from "./util/package-root.js";
import { loadData } from "./util/data.js";
import { readRepoFile } from "./util/safe-fs.js";
import { escapeRegExp } from "./util/escape.js";
import { cutAt, stripEnds, stripTrailing } from "./util/strip.js";
import { append } from "./util/append.js";

/** Where the manifest schema can be fetched when no installed copy is reachable by a relative path. */
export const SCHEMA_URL = "https://raw.githubusercontent.com/aigate-dev/aigate/v1/schemas/ai-system.schema.json";
/** The marker of a question: a YAML comment containing it is an open question until deleted. */
export const QUESTION_MARKER = "UNKNOWN:";

const FACT_ORDER = ["isGenAI", "isLLM", "trainsOrFinetunes", "usesRAG", "hasAgency", "modelHostedExternally"];
/** The manifest schema's length limits for what init copies from the repository. */
const MAX = { toolName: 128, uri: 1000, revision: 200, path: 1000, id: 200, name: 128, datasets: 50 };
/** Source files read for literal model names, and the largest one. */
const MAX_SOURCE_FILES = 2000;
const MAX_SOURCE_BYTES = 1024 * 1024;
const SOURCE_FILE = /\.(py|ipynb|js|mjs|cjs|jsx|ts|mts|cts|tsx)$/i;
/** What the calls a tool makes show it can do: the first match names the privilege. */
const PRIVILEGE_OF_CALL: [RegExp, string][] = [
  [/^(subprocess|child_process|os\.system|os\.popen|os\.exec|os\.spawn|pty\.|commands\.|execa|shelljs|eval\b|exec\b|vm\.)/, "execute"],
  [
    /^(os\.(remove|unlink|rmdir)|shutil\.rmtree|fs\.(unlink|rm|rmdir)|fs\/promises\.(unlink|rm|rmdir)|fs\.promises\.(unlink|rm|rmdir)|[\w.]*\.(unlink|rmdir|rm|delete)\b)/,
    "delete",
  ],
  [/^(requests\.(post|put|patch|delete)|httpx\.(post|put|patch|delete)|smtplib|[\w.]*\.(sendmail|send_message)\b|fetch\()/, "send"],
];
const PERSONAL_LABEL: Record<string, string> = {
  email: "e-mail addresses",
  phone: "phone numbers",
  iban: "IBANs",
  "payment-card": "payment card numbers",
  "us-ssn": "US social security numbers",
  "uk-nino": "UK national insurance numbers",
  "nl-bsn": "Dutch citizen service numbers",
  "ip-address": "IP addresses",
  "date-of-birth": "dates of birth",
  "person-name": "person names",
};

interface HostedNames {
  providers: { provider: string; pattern: string }[];
  context: { provider: string; when: string; pattern: string }[];
  huggingFace: { pattern: string; fileMustUse: string; lineMustName: string };
}

const slug = (s: string, max = 64) => stripTrailing(stripEnds(s.toLowerCase().replace(/[^a-z0-9]+/g, "-"), "-").slice(0, max), "-") || "ai-system";
const modelName = (id: string) =>
  id
    .replace(/[^A-Za-z0-9._/-]/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, MAX.name) || "model";
const where = (location: string) => location.replace(/:(\d+):\d+$/, ":$1");
const fileOf = (location: string) => location.replace(/:\d+:\d+$/, "");
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Repository text made safe for a one-line YAML comment: line breaks and control characters escaped, length capped. */
export function commentSafe(s: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const out = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => (c === "\t" ? " " : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  return out.length > max ? `${out.slice(0, max)}...` : out;
}

/** `name`, or `name-2`, `name-3` ... when taken (the manifest requires unique names); cut to `max`. */
function uniqueName(name: string, taken: Set<string>, max: number): string {
  let out = name.slice(0, max);
  for (let n = 2; taken.has(out); n++) out = `${name.slice(0, max - String(n).length - 1)}-${n}`;
  taken.add(out);
  return out;
}

/** What init wrote, for the command's closing line and for tests. */
export interface InitResult {
  text: string;
  inferred: { facts: number; models: number; tools: number; datasets: number; owner: boolean };
  /** Questions left in the manifest (comments with the UNKNOWN marker). */
  questions: number;
  /** Folders left out because they have their own manifest. */
  subsystems: string[];
}

export interface InitOptions {
  /** The folder the manifest will be written to (default: `root`); the schema reference is relative to it. */
  manifestDir?: string;
}

/** The starting manifest's text (see initSystem). */
export async function initManifest(root: string, opts: InitOptions = {}): Promise<string> {
  return (await initSystem(root, opts)).text;
}

export async function initSystem(root: string, opts: InitOptions = {}): Promise<InitResult> {
  const scan = await scanForInit(root);
  const repo = await findRepository(root);
  const top = repo?.top ?? resolve(root);
  const manifestDir = resolve(opts.manifestDir ?? root);
  const draft = new Draft(slug(posix.basename(stripTrailing(root.replace(/\\/g, "/"), "/")) || "ai-system"), schemaReference(manifestDir, top));
  const owner = await writeOwner(draft, top, manifestDir);
  const facts = writeProfile(draft, scan.taxonomy, scan.code);
  const skipped: string[] = [];
  const sources = await readSources(root, scan.files);
  const models = writeModels(draft, scan, sources, skipped);
  const datasets = writeDatasets(draft, inferDatasets(scan.observations, scan.code));
  const tools = writeTools(draft, scan, sources);
  draft.doc.comment = closingComment(scan.subsystems, skipped);
  const text = stripTrailing(draft.doc.toString({ lineWidth: 0, flowCollectionPadding: false }), "\n") + "\n";
  return { text, inferred: { facts, models, tools, datasets, owner }, questions: draft.questions, subsystems: scan.subsystems };
}

/** What the scanners found in the files this system governs. */
interface InitScan {
  taxonomy: ReturnType<typeof loadTaxonomy>;
  /** Folders left out because they have their own manifest. */
  subsystems: string[];
  files: RepoFile[];
  observations: Observation[];
  artifacts: ModelArtifact[];
  code: CodeFacts;
}

async function scanForInit(root: string): Promise<InitScan> {
  const taxonomy = loadTaxonomy();
  const pack = await loadPacks(taxonomy, []);
  const walk = await walkRepository(root);
  // Sub-systems: a folder below with its own manifest governs itself; nothing in it is this system's.
  const subsystems = [
    ...new Set(
      walk.files
        .map((f) => f.path)
        .filter((p) => /(^|\/)ai-system\.ya?ml$/.test(p) && p.includes("/"))
        .map((p) => posix.dirname(p)),
    ),
  ].sort();
  const files = walk.files.filter((f) => !subsystems.some((d) => f.path.startsWith(d + "/")));
  // Every model file's digest: the manifest records it (a check compares it with the file).
  const ctx = scanContext(root, files, { ...pack.settings, modelHashing: true });
  const observations: Observation[] = [];
  const artifacts: ModelArtifact[] = [];
  let code: CodeFacts = { inferred: {}, tools: [], models: [], stats: { candidates: 0, prefilterSkipped: 0, parsed: 0, bytesRead: 0 } };
  for (const scanner of SCANNERS) {
    try {
      const r = await scanner.scan(ctx);
      append(observations, r.observations);
      append(artifacts, r.models ?? []);
      if (scanner.meta.id === "code" && r.facts) code = r.facts as unknown as CodeFacts;
    } catch {
      // A scanner that fails infers nothing; check reports the files it could not scan.
    }
  }
  return { taxonomy, subsystems, files, observations, artifacts, code };
}

/** The manifest being written: its YAML document, and the questions its comments ask. */
class Draft {
  readonly doc: Document;
  readonly top: YAMLMap;
  questions = 0;

  constructor(name: string, schema: string) {
    this.doc = new Document({ apiVersion: "aigate/v1", name, owner: { team: "unknown", contact: "unknown" }, profile: {} });
    this.doc.commentBefore = [
      ` yaml-language-server: $schema=${schema}`,
      " Written by `aigate init` from the repository. Each inferred value names its source in a comment;",
      " each value aigate could not infer has a comment marked UNKNOWN that says what to answer. Answer it,",
      " delete the comment, then run `aigate check`: it reports every question left (manifest-open-question).",
    ].join("\n");
    this.top = this.doc.contents as YAMLMap;
  }

  pairOf(map: YAMLMap, key: string): Pair<Scalar, unknown> | undefined {
    return map.items.find((p) => (typeof p.key === "object" && p.key !== null ? (p.key as Scalar).value : p.key) === key) as Pair<Scalar, unknown> | undefined;
  }

  valueOf(map: unknown, key: string): unknown {
    return isMap(map) ? this.pairOf(map, key)?.value : undefined;
  }

  comment(node: unknown, text: string): void {
    if (isScalar(node) || isMap(node) || isSeq(node)) node.comment = ` ${text}`;
  }

  /** A question's comment text (counted). */
  ask(text: string): string {
    this.questions++;
    return `${QUESTION_MARKER} ${text}`;
  }

  /** Adds `entries` as the list `key`, then lets `annotate` comment each written item. */
  addList<T>(key: string, entries: readonly T[], annotate: (item: unknown, i: number) => void): void {
    if (!entries.length) return;
    this.top.add(this.doc.createPair(key, entries));
    (this.pairOf(this.top, key)!.value as YAMLSeq).items.forEach((item, i) => annotate(item, i));
  }
}

/** Owner: the CODEOWNERS rule that covers the manifest; true when there is one. */
async function writeOwner(d: Draft, top: string, manifestDir: string): Promise<boolean> {
  const owner = d.pairOf(d.top, "owner")!.value as YAMLMap;
  const codeOwner = await codeOwnerOf(top, relative(top, resolve(manifestDir, "ai-system.yaml")).split(sep).join("/"));
  if (codeOwner) {
    owner.set("team", codeOwner.team);
    owner.set("contact", codeOwner.contact);
    d.comment(d.valueOf(owner, "team"), `inferred: ${commentSafe(codeOwner.file)}:${codeOwner.line}`);
    d.comment(d.valueOf(owner, "contact"), `inferred: ${commentSafe(codeOwner.file)}:${codeOwner.line} (the first owner listed)`);
  } else {
    d.comment(d.valueOf(owner, "team"), d.ask("no CODEOWNERS rule covers this folder — answer the accountable team"));
    d.comment(d.valueOf(owner, "contact"), d.ask("answer an e-mail address, a #chat-channel or a URL where that team answers"));
  }
  return codeOwner !== null;
}

/** Profile: what the code settles, then one question per core fact it does not; the facts inferred. */
function writeProfile(d: Draft, taxonomy: InitScan["taxonomy"], code: CodeFacts): number {
  const profile = d.pairOf(d.top, "profile")!.value as YAMLMap;
  let inferredFacts = 0;
  for (const fact of FACT_ORDER) {
    const inferred = code.inferred[fact];
    if (!inferred) continue;
    profile.add(d.doc.createPair(fact, inferred.value));
    d.comment(d.pairOf(profile, fact)!.value, `inferred: ${commentSafe(inferred.evidence.replace(/:(\d+):\d+ /, ":$1 "))}`);
    inferredFacts++;
  }
  const unsettled = taxonomy.profileFacts.filter((f) => f.core && !code.inferred[f.id]);
  if (unsettled.length) {
    profile.comment = [
      " Not settled by the code; state each (true or false) and delete its marker. Left unstated, the",
      " analysis assumes the worst for it.",
      ...unsettled.map((f) => ` ${f.id}: # ${d.ask(`${f.question} — answer true|false`)}`),
    ].join("\n");
  }
  if (profile.items.length === 0) profile.flow = true;
  return inferredFacts;
}

/** Models: model files (with the digest the models scanner computed), hub downloads, hosted names; how many. */
function writeModels(d: Draft, scan: InitScan, sources: Sources, skipped: string[]): number {
  const models: Record<string, unknown>[] = [];
  const notes: { name: string; extra?: [string, string][] }[] = [];
  const names = new Set<string>();
  const seenFiles = new Set<string>();
  for (const a of scan.artifacts) {
    if (seenFiles.has(a.path)) continue;
    seenFiles.add(a.path);
    if (a.path.length > MAX.path) {
      skipped.push(`model file ${commentSafe(a.path, 60)}, whose path is longer than a manifest holds`);
      continue;
    }
    const ext = posix.extname(a.path).toLowerCase();
    const base = posix.basename(a.path, ext) || posix.basename(a.path);
    const entry: Record<string, unknown> = { name: uniqueName(modelName(base), names, MAX.name), path: a.path, format: manifestFormat(a.format, a.path) };
    const extra: [string, string][] = [];
    if (a.sha256 && /^[0-9a-f]{64}$/.test(a.sha256)) {
      entry.sha256 = a.sha256;
      extra.push(["sha256", a.format === "lfs-pointer" ? "the Git LFS pointer's oid" : "computed by aigate from the file"]);
    }
    models.push(entry);
    notes.push({ name: `inferred: the models scanner found ${commentSafe(a.path)} (${commentSafe(a.format, 40)}, ${a.verdict})`, extra });
  }
  const seenIds = new Set<string>();
  for (const m of scan.code.models) {
    if (seenIds.has(m.id) || /^(\.{0,2}\/|~)/.test(m.id)) continue; // a local folder, not a download
    seenIds.add(m.id);
    const uri = `https://huggingface.co/${m.id}`;
    if (uri.length > MAX.uri) {
      skipped.push(`a download at ${where(m.location)} whose model id is longer than a manifest holds (${commentSafe(m.id, 60)})`);
      continue;
    }
    // A revision too long for the manifest is not copied: the model then counts as unpinned.
    const revision = m.revision && m.revision.length <= MAX.revision ? m.revision : undefined;
    models.push({ name: uniqueName(modelName(m.id), names, MAX.name), source: { uri, ...(revision ? { revision } : {}) } });
    notes.push({
      name: `inferred: downloaded at ${commentSafe(where(m.location))}${m.revision && !revision ? "; its revision is too long to copy, state the commit hash" : ""}`,
    });
  }
  for (const h of hostedModelNames(sources)) {
    if (seenIds.has(h.id)) continue;
    seenIds.add(h.id);
    models.push({ name: uniqueName(modelName(h.id), names, MAX.name), provider: h.provider, id: h.id });
    notes.push({ name: `inferred: ${commentSafe(h.file)}:${h.line} names the model (${commentSafe(h.provider)})` });
  }
  d.addList("models", models, (item, i) => {
    const note = notes[i]!;
    d.comment(d.valueOf(item, "name"), note.name);
    for (const [key, text] of note.extra ?? []) d.comment(d.valueOf(item, key), text);
  });
  return models.length;
}

/** Datasets: the data scanner's files, a specific glob per folder and extension, with the personal data found; how many. */
function writeDatasets(d: Draft, datasets: InferredDataset[]): number {
  const names = new Set<string>();
  const entries = datasets.map((ds) => ({
    name: uniqueName(slug(ds.folder === "" ? "data" : ds.folder, MAX.name), names, MAX.name),
    use: [ds.use],
    paths: ds.globs,
    sensitivity: ds.personal.length ? "confidential" : "internal",
    personalData: ds.personal.length ? "identifiable" : "none",
  }));
  d.addList("datasets", entries, (item, i) => {
    const ds = datasets[i]!;
    (d.valueOf(item, "use") as YAMLSeq).flow = true;
    (d.valueOf(item, "paths") as YAMLSeq).flow = true;
    d.comment(
      d.valueOf(item, "name"),
      `inferred: ${plural(ds.files.length, "data file")} found by the data scanner (${commentSafe(ds.formats.join(", "), 60)})`,
    );
    d.comment(d.valueOf(item, "use"), d.ask(`${ds.useWhy} — answer training|fine-tuning|evaluation|augmentation|prompt|other`));
    const found = ds.personal
      .slice(0, 4)
      .map(
        (p) =>
          `${PERSONAL_LABEL[p.kind] ?? commentSafe(p.kind, 40)} (column ${commentSafe(JSON.stringify(p.column ?? "?"), 60)} of ${commentSafe(p.path, 120)})`,
      );
    if (ds.personal.length) {
      d.comment(
        d.valueOf(item, "personalData"),
        `inferred: the data scanner found ${found.join(", ")}${ds.personal.length > 4 ? `, +${ds.personal.length - 4} more` : ""}; pseudonymised or special-category if that is what it is`,
      );
      d.comment(d.valueOf(item, "sensitivity"), "inferred: it holds personal data; restricted if it is special-category or regulated");
    } else {
      d.comment(
        d.valueOf(item, "personalData"),
        d.ask(
          `the data scanner found no personal data in the rows it sampled — confirm none, or answer anonymised|pseudonymised|identifiable|special-category`,
        ),
      );
      d.comment(d.valueOf(item, "sensitivity"), d.ask("answer public|internal|confidential|restricted"));
    }
  });
  return entries.length;
}

/** Tools the code gives a model: privileges from the calls they make; no approval is claimed. How many. */
function writeTools(d: Draft, scan: InitScan, sources: Sources): number {
  const writeEvidence = new Map<string, string>();
  for (const o of scan.observations) {
    if (o.kind === "code.tool" && typeof o.data?.writeEvidence === "string")
      writeEvidence.set(`${o.location.path}:${o.location.line}:${o.location.column}|${String(o.data.name)}`, o.data.writeEvidence);
  }
  const tools: Record<string, unknown>[] = [];
  const notes: { name: string; privileges: string; approval: string }[] = [];
  const seen = new Set<string>();
  const names = new Set<string>();
  for (const t of scan.code.tools) {
    if (seen.has(t.name)) continue;
    seen.add(t.name);
    const name = uniqueName(t.name || "unnamed-tool", names, MAX.toolName);
    let evidence = writeEvidence.get(`${t.location}|${t.name}`);
    let file = fileOf(t.location);
    // A tool defined in one file and implemented in another (a schema next to the client call, the
    // function in tools/): the implementation's calls say what it does.
    if (!t.privileges.length && !evidence) {
      const impl = implementationOf(t.name, sources);
      if (impl) {
        file = impl.file;
        evidence = impl.evidence ?? undefined;
      }
    }
    const privileges = privilegesOf(t.privileges, evidence);
    tools.push({
      name,
      kind: t.framework === "mcp" ? "mcp-server" : "function",
      ...(file.length <= MAX.path ? { path: file } : {}),
      privileges: privileges.length ? privileges : ["write"],
      humanApproval: "never",
    });
    notes.push({
      name: `inferred: ${t.framework} tool at ${commentSafe(where(t.location))}${name !== t.name ? `; the code names it ${commentSafe(JSON.stringify(t.name), 80)}` : ""}`,
      privileges: privileges.length
        ? `inferred from the code${evidence ? `: ${commentSafe(evidence)}` : ` (a ${commentSafe(t.framework, 40)} tool aigate knows)`}`
        : d.ask(
            "the code shows no call that reads or changes anything, so this assumes it writes — answer read|write|delete|execute|network|send|payments|admin",
          ),
      approval: d.ask(`no approval step found in ${commentSafe(file, 120)} — answer never|on-write|always`),
    });
  }
  d.addList("tools", tools, (item, i) => {
    const note = notes[i]!;
    d.comment(d.valueOf(item, "name"), note.name);
    const priv = d.valueOf(item, "privileges") as YAMLSeq | undefined;
    if (priv) {
      priv.flow = true;
      priv.comment = ` ${note.privileges}`;
    }
    d.comment(d.valueOf(item, "humanApproval"), note.approval);
  });
  return tools.length;
}

/** The comment after the manifest: folders left out, values not written, and that no control is claimed. */
function closingComment(subsystems: readonly string[], skipped: readonly string[]): string {
  const tail: string[] = [];
  if (subsystems.length)
    append(tail, [
      " Left out: folders with their own manifest (each is its own system):",
      ...subsystems.slice(0, 20).map((d) => ` - ${commentSafe(d, 120)}`),
      ...(subsystems.length > 20 ? [` - ...and ${subsystems.length - 20} more`] : []),
    ]);
  if (skipped.length) append(tail, [" Not written (check by hand):", ...skipped.map((s) => ` - ${s}`)]);
  tail.push(
    " Controls: aigate claims none. `aigate check` lists the controls that apply to this system; claim each",
    " under `controls:` with its status and evidence (paths to the files that show it).",
  );
  return tail.join("\n");
}

/** `$schema` for the editor: a relative path to the installed package's schema when it is inside the repository, else its URL. */
function schemaReference(manifestDir: string, top: string): string {
  try {
    const pkg = packageRoot();
    const inside = relative(top, pkg);
    if (inside === "" || (!inside.startsWith("..") && !posix.isAbsolute(inside.split(sep).join("/")))) {
      return relative(manifestDir, resolve(pkg, "schemas", "ai-system.schema.json"))
        .split(sep)
        .join("/");
    }
  } catch {
    // no package folder: the URL
  }
  return SCHEMA_URL;
}

/** Privileges from the scanner and from the call that showed a write (`subprocess.run()` executes). */
function privilegesOf(found: readonly string[], evidence: string | undefined): string[] {
  const out = new Set(found);
  if (evidence) {
    const call = cutAt(evidence, "(");
    const p = PRIVILEGE_OF_CALL.find(([re]) => re.test(call) || re.test(evidence))?.[1];
    if (p) {
      out.add(p);
      // "write" was the scanner's word for any change; the call says which.
      if (!found.some((x) => x !== "write")) out.delete("write");
      if (p === "send") out.add("network");
    }
  }
  const order = ["read", "write", "delete", "execute", "network", "send", "payments", "admin"];
  return [...out].filter((x) => order.includes(x)).sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

interface InferredDataset {
  folder: string;
  globs: string[];
  files: string[];
  formats: string[];
  personal: { kind: string; column?: string; path: string }[];
  use: string;
  useWhy: string;
}

/** One dataset per folder of data files: globs by extension in that folder (never `**`), and the personal data found in them. */
function inferDatasets(observations: readonly Observation[], code: CodeFacts): InferredDataset[] {
  const byFolder = new Map<string, { files: Set<string>; exts: Set<string>; formats: Set<string> }>();
  for (const o of observations) {
    if (o.kind !== "data.file" && o.kind !== "data.lfs-pointer" && o.kind !== "data.retrieval-store") continue;
    const path = o.location.path;
    const folder = posix.dirname(path) === "." ? "" : posix.dirname(path);
    const entry = byFolder.get(folder) ?? { files: new Set(), exts: new Set(), formats: new Set() };
    entry.files.add(path);
    const ext = posix.extname(path);
    entry.exts.add(ext && /^\.[A-Za-z0-9]{1,10}$/.test(ext) ? ext : "");
    entry.formats.add(typeof o.data?.format === "string" ? o.data.format : o.kind.slice(5));
    byFolder.set(folder, entry);
  }
  const personal = observations.filter((o) => o.kind === "data.personal-data");
  const trains = code.inferred.trainsOrFinetunes?.value === true;
  const rag = code.inferred.usesRAG?.value === true;
  const use = trains ? "training" : rag ? "augmentation" : "training";
  const useWhy = trains
    ? "the code trains a model, so this assumes the data trains it"
    : rag
      ? "the code retrieves data into prompts, so this assumes it is retrieval data"
      : "the code does not show how this data is used, so this assumes the riskiest use (training)";
  const escape = (s: string) => s.replace(/[*?[\]{}()!+@\\]/g, (c) => `\\${c}`);
  return [...byFolder]
    .sort(([a], [b]) => a.localeCompare(b))
    .slice(0, MAX.datasets)
    .map(([folder, e]) => {
      const files = [...e.files].sort();
      // A file without a plain extension is named exactly; others share a glob per extension.
      const globs = [...e.exts]
        .sort()
        .flatMap((ext) =>
          ext
            ? [`${folder ? `${escape(folder)}/` : ""}*${escape(ext)}`]
            : files.filter((f) => posix.extname(f) === "" || !/^\.[A-Za-z0-9]{1,10}$/.test(posix.extname(f))).map(escape),
        );
      return {
        folder,
        globs: globs.filter((g) => g.length <= 500).slice(0, 100),
        files,
        formats: [...e.formats].sort(),
        personal: personal
          .filter((o) => e.files.has(o.location.path))
          .map((o) => ({
            kind: String(o.data?.kind ?? "personal data"),
            column: typeof o.data?.column === "string" ? o.data.column : undefined,
            path: o.location.path,
          })),
        use,
        useWhy,
      };
    });
}

const hostedNames = () => loadData<HostedNames>("policies/models/hosted-model-names.json");

/** Source files (text), read once for literal model names and tool implementations. */
type Sources = { path: string; text: string }[];

async function readSources(root: string, files: readonly RepoFile[]): Promise<Sources> {
  const out: Sources = [];
  for (const f of files.filter((x) => SOURCE_FILE.test(x.path) && x.size <= MAX_SOURCE_BYTES).slice(0, MAX_SOURCE_FILES)) {
    const buf = await readRepoFile(root, f.path, MAX_SOURCE_BYTES).catch(() => null);
    if (buf && !buf.subarray(0, 8192).includes(0)) out.push({ path: f.path, text: buf.toString("utf8") });
  }
  return out;
}

/** Literal model names of hosted APIs and hub ids in source files: each id once, at its first place. */
function hostedModelNames(sources: Sources): { id: string; provider: string; file: string; line: number }[] {
  const data = hostedNames();
  const providers = data.providers.map((p) => ({ provider: p.provider, re: new RegExp(p.pattern) }));
  const contexts = data.context.map((c) => ({ ...c, re: new RegExp(c.pattern) }));
  const hf = { re: new RegExp(data.huggingFace.pattern), uses: new RegExp(data.huggingFace.fileMustUse), line: new RegExp(data.huggingFace.lineMustName, "i") };
  const found = new Map<string, { id: string; provider: string; file: string; line: number }>();
  for (const { path, text } of sources) {
    const usesHf = hf.uses.test(text);
    text.split(/\r?\n/).forEach((l, i) => {
      if (l.length > 4000) return;
      for (const m of l.matchAll(/(["'`])([A-Za-z0-9][A-Za-z0-9._:/-]{1,120})\1/g)) {
        const id = m[2]!;
        if (found.has(id)) continue;
        let provider = providers.find((p) => p.re.test(id))?.provider;
        if (provider) provider = contexts.find((c) => c.when === provider && c.re.test(text))?.provider ?? provider;
        else if (usesHf && hf.re.test(id) && hf.line.test(l) && !/\.(py|js|ts|json|ya?ml|txt|md|csv)$/i.test(id)) provider = "huggingface";
        if (!provider || id.length > MAX.id) continue;
        found.set(id, { id, provider, file: path, line: i + 1 });
      }
    });
  }
  return [...found.values()];
}

/** Lines of a function body looked at. */
const MAX_BODY_LINES = 300;

/**
 * The function that implements a tool in another file (`def run_command(`, `function sendAlert(`,
 * `const send_alert = `), found by the tool's name in snake_case or camelCase, and the first call in
 * its body that changes something (the code scanner's write calls, a subprocess, a request that sends).
 */
function implementationOf(name: string, sources: Sources): { file: string; evidence: string | null } | null {
  const variants = [...new Set([name, name.replace(/[-\s]+/g, "_"), name.replace(/(?<![-_\s])[-_\s]+(\w)/g, (_, c: string) => c.toUpperCase())])].filter((v) =>
    /^[A-Za-z_$][\w$]*$/.test(v),
  );
  if (!variants.length) return null;
  const names = variants.map(escapeRegExp).join("|");
  const py = new RegExp(`^([ \\t]*)(?:async[ \\t]+)?def[ \\t]+(?:${names})[ \\t]*\\(`, "m");
  const js = new RegExp(
    `^([ \\t]*)(?:export[ \\t]+)?(?:default[ \\t]+)?(?:(?:async[ \\t]+)?function[ \\t*]+(?:${names})[ \\t]*\\(|(?:const|let|var)[ \\t]+(?:${names})[ \\t]*=)`,
    "m",
  );
  const P = codePatterns();
  const toRe = (g: string) => new RegExp(`^${g.split("*").map(escapeRegExp).join(".*")}$`);
  const writes = { python: P.tools.writeCalls.python.map(toRe), js: P.tools.writeCalls.js.map(toRe) };
  for (const { path, text } of sources) {
    const isPy = /\.(py|ipynb)$/i.test(path);
    const m = (isPy ? py : js).exec(text);
    if (!m) continue;
    const start = text.slice(0, m.index).split("\n").length;
    const lines = text.split(/\r?\n/).slice(start - 1, start - 1 + MAX_BODY_LINES);
    const indent = m[1]!.length;
    const body: { text: string; line: number }[] = [];
    for (const [i, l] of lines.entries()) {
      if (
        i > 0 &&
        l.trim() !== "" &&
        l.length - l.trimStart().length <= indent &&
        (isPy || /^\s*[}\])]/.test(l) || /^\s*(export|function|const|class)\b/.test(l))
      ) {
        if (!isPy && /^\s*[}\])]/.test(l)) body.push({ text: l, line: start + i });
        break;
      }
      body.push({ text: l, line: start + i });
    }
    for (const b of body) {
      // A name starts a chain (`a.b.c(`), not inside one: from each inner start the rest of a long
      // chain was read again.
      for (const call of b.text.matchAll(/(?<![\w$]|[\w$]\.)([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\(/g)) {
        const c = call[1]!;
        if ((isPy ? writes.python : writes.js).some((re) => re.test(c)) || PRIVILEGE_OF_CALL.some(([re]) => re.test(c)))
          return { file: path, evidence: `${c}() at ${path}:${b.line}` };
      }
      if (isPy && /\bopen\([^)]*["'][wax+]/.test(b.text)) return { file: path, evidence: `open(..., "w") at ${path}:${b.line}` };
    }
    return { file: path, evidence: null };
  }
  return null;
}

/**
 * The CODEOWNERS rule that covers `path` (repository-relative): the last matching line of the
 * first CODEOWNERS file GitHub reads (.github/, the top level, docs/). Team: the first owner
 * without its `@`; contact: that owner as written.
 */
async function codeOwnerOf(top: string, path: string): Promise<{ team: string; contact: string; file: string; line: number } | null> {
  for (const file of [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]) {
    const buf = await readRepoFile(top, file, 512 * 1024).catch(() => null);
    if (!buf) continue;
    let hit: { owner: string; line: number } | null = null;
    buf
      .toString("utf8")
      .split(/\r?\n/)
      .forEach((raw, i) => {
        const l = raw.replace(/(^|\s)#.*$/, "").trim();
        if (!l) return;
        const [pattern, ...owners] = l.split(/\s+/);
        if (!pattern || !owners.length) return;
        try {
          if (ignore().add(pattern).ignores(path)) hit = { owner: owners[0]!, line: i + 1 };
        } catch {
          // a pattern the ignore syntax rejects covers nothing
        }
      });
    if (!hit) return null;
    const { owner, line } = hit as { owner: string; line: number };
    const team = cutAt(owner.replace(/^@/, ""), "@") || owner;
    return { team: team.slice(0, 200), contact: owner.slice(0, 500), file, line };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The questions, as check reads them

/** Questions reported per manifest. */
const MAX_QUESTIONS = 200;

/**
 * The questions left in a manifest: every YAML comment containing the UNKNOWN marker, located at
 * the marker. A `#` starts a comment at the start of a line or after whitespace, outside quotes.
 */
export function openQuestions(system: System): Diagnostic[] {
  const out: Diagnostic[] = [];
  const text = system.source.text;
  if (!text.includes(QUESTION_MARKER)) return out;
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    const at = commentStart(line);
    if (at < 0) continue;
    const col = line.indexOf(QUESTION_MARKER, at);
    if (col < 0) continue;
    const key = /^\s*(?:#\s*)?(?:-\s+)?([A-Za-z][\w-]*):/.exec(line)?.[1];
    const question = line.slice(col + QUESTION_MARKER.length).trim() || "(no text)";
    out.push({
      id: "manifest-open-question",
      message: `open question${key ? ` on ${key}` : ""}: ${question}`,
      location: { path: system.source.path, line: i + 1, column: col + 1 },
      // The line's own text identifies it (a question answered elsewhere moves nothing).
      key: `${key ?? ""}:${question}`,
      system: system.manifest.name,
    });
    if (out.length >= MAX_QUESTIONS) break;
  }
  return out;
}

/** Where a YAML comment starts on a line (-1: none): a `#` at the start or after a blank, outside quotes. */
function commentStart(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote && !(quote === '"' && line[i - 1] === "\\")) quote = null;
      else if (quote === "'" && c === "'" && line[i + 1] === "'") i++;
      continue;
    }
    if (c === "#" && (i === 0 || line[i - 1] === " " || line[i - 1] === "\t")) return i;
    if ((c === '"' || c === "'") && (i === 0 || /[\s:[{,-]/.test(line[i - 1]!))) quote = c;
  }
  return -1;
}
