// `aigate init [dir]`: a starting ai-system.yaml inferred from the repository — the profile facts
// the code is evidence of, the models it downloads or ships, the tools it gives a model, and the
// data files found — each inferred line with a comment naming the file it came from. Facts the
// code cannot settle are left for the owner to state (listed as comments, not guessed), and no
// mitigation is claimed that the code does not show: a tool is written `humanApproval: never`
// until its owner says otherwise, and a tool whose privileges the code does not show is assumed
// to write, so `aigate check` reports it until approval exists or the owner narrows it.
//
// Every value taken from the repository (names, paths, ids, revisions) is written by the YAML
// library as a scalar, never pasted into text; comments carry it with line breaks and control
// characters escaped, so a hostile name cannot add keys or lines.
import { posix } from "node:path";
import { minimatch } from "minimatch";
import { Document, isMap, isScalar, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import { loadTaxonomy } from "./exchange/taxonomy.js";
import { codeScanner, type CodeFacts } from "./inventory/scanners/code/scanner.js";
import { scanContext } from "./inventory/context.js";
import { walkRepository } from "./inventory/walk.js";

const MODEL_FORMATS: Record<string, string> = {
  ".safetensors": "safetensors",
  ".gguf": "gguf",
  ".onnx": "onnx",
  ".pt": "pytorch",
  ".pth": "pytorch",
  ".bin": "pytorch",
  ".ckpt": "pytorch",
  ".pkl": "pickle",
  ".pickle": "pickle",
  ".joblib": "joblib",
  ".keras": "keras",
  ".h5": "h5",
  ".tflite": "tflite",
  ".npy": "numpy",
  ".npz": "numpy",
};
const DATA_EXTENSIONS = new Set([".csv", ".tsv", ".jsonl", ".parquet", ".arrow", ".feather"]);
const FACT_ORDER = ["isGenAI", "isLLM", "trainsOrFinetunes", "usesRAG", "hasAgency", "modelHostedExternally"];
/** The manifest schema's length limits for what init copies from the repository. */
const MAX = { toolName: 128, uri: 1000, revision: 200, path: 1000 };

const slug = (s: string, max = 64) =>
  s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, max).replace(/-+$/, "") || "ai-system";
const modelName = (id: string) => id.replace(/[^A-Za-z0-9._/-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 128) || "model";
const where = (location: string) => location.replace(/:(\d+):\d+$/, ":$1");

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

export async function initManifest(root: string): Promise<string> {
  const { files } = await walkRepository(root);
  const ctx = scanContext(root, files);
  const scanned = await codeScanner.scan(ctx);
  const code = scanned.facts as unknown as CodeFacts;

  const doc = new Document({
    apiVersion: "aigate/v1",
    name: slug(posix.basename(root.replace(/\\/g, "/").replace(/\/+$/, "")) || "ai-system"),
    owner: { team: "unknown", contact: "unknown" },
    profile: {},
  });
  doc.commentBefore = " yaml-language-server: $schema=https://github.com/aigate-dev/aigate/schemas/ai-system.schema.json\n Written by `aigate init` from the repository's code. Check every line: inferred values name the file\n they came from; facts the code cannot settle are listed for you to state.";
  const top = doc.contents as YAMLMap;
  const pairOf = (map: YAMLMap, key: string) =>
    map.items.find((p) => (typeof p.key === "object" && p.key !== null ? (p.key as Scalar).value : p.key) === key) as Pair<Scalar, unknown> | undefined;
  const valueOf = (map: unknown, key: string) => (isMap(map) ? pairOf(map, key)?.value : undefined);
  const comment = (node: unknown, text: string) => {
    if (isScalar(node) || isMap(node)) node.comment = ` ${text}`;
  };
  const owner = pairOf(top, "owner")!;
  owner.key.comment = " TODO: the accountable team and how to reach it";

  const profile = pairOf(top, "profile")!.value as YAMLMap;
  for (const fact of FACT_ORDER) {
    const inferred = code.inferred[fact];
    if (!inferred) continue;
    profile.add(doc.createPair(fact, inferred.value));
    comment(pairOf(profile, fact)!.value, `inferred: ${commentSafe(inferred.evidence.replace(/:(\d+):\d+ /, ":$1 "))}`);
  }
  // The Exchange's core facts that the code did not settle: the owner states them.
  const unsettled = loadTaxonomy().profileFacts.filter((f) => f.core && !code.inferred[f.id]).map((f) => f.id);
  profile.comment = ` Not settled by the code; state each one (an unstated fact makes the analysis assume the worst):\n ${unsettled.join(", ")}`;
  if (profile.items.length === 0) profile.flow = true;

  // Models: downloads in code (with their revision) and weights files in the repository.
  const models: Record<string, unknown>[] = [];
  const comments: string[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const modelNames = new Set<string>();
  for (const m of code.models) {
    if (seen.has(m.id) || /^(\.{0,2}\/|~)/.test(m.id)) continue; // a local folder, not a download
    seen.add(m.id);
    const uri = `https://huggingface.co/${m.id}`;
    if (uri.length > MAX.uri) {
      skipped.push(`a download at ${where(m.location)} whose model id is longer than a manifest holds (${commentSafe(m.id, 60)})`);
      continue;
    }
    // A revision too long for the manifest is not copied: the model then counts as unpinned.
    const revision = m.revision && m.revision.length <= MAX.revision ? m.revision : undefined;
    models.push({ name: uniqueName(modelName(m.id), modelNames, 128), source: { uri, ...(revision ? { revision } : {}) } });
    comments.push(`from ${where(m.location)}${m.revision && !revision ? "; its revision is too long to copy, state the commit hash" : ""}`);
  }
  for (const f of files) {
    const ext = posix.extname(f.path).toLowerCase();
    const format = MODEL_FORMATS[ext];
    if (!format || (ext === ".bin" && !/model|weights|pytorch/i.test(f.path)) || f.size < 1024) continue;
    if (f.path.length + 1 > MAX.path) {
      skipped.push(`weights file ${commentSafe(f.path, 60)}, whose path is longer than a manifest holds`);
      continue;
    }
    models.push({ name: uniqueName(modelName(posix.basename(f.path, ext)), modelNames, 128), path: `/${f.path}`, format });
    comments.push(`weights file ${f.path}`);
  }
  if (models.length) {
    top.add(doc.createPair("models", models));
    const seq = pairOf(top, "models")!.value as YAMLSeq;
    seq.items.forEach((item, i) => {
      if (isMap(item)) comment(item.items[0]!.value, `inferred: ${commentSafe(comments[i]!)}`);
    });
  }

  // Tools the code gives a model. Nothing in the code shows a human approving a call, so none is
  // claimed: `never` until the owner implements an approval step and says so.
  const writeEvidence = new Map<string, string>();
  for (const o of scanned.observations) {
    if (o.kind === "code.tool" && typeof o.data?.writeEvidence === "string") writeEvidence.set(`${o.location.path}:${o.location.line}:${o.location.column}|${String(o.data.name)}`, o.data.writeEvidence);
  }
  const tools: Record<string, unknown>[] = [];
  const toolNotes: { name: string; privileges: string; approval: string }[] = [];
  const toolSeen = new Set<string>();
  const toolNames = new Set<string>();
  for (const t of code.tools) {
    if (toolSeen.has(t.name)) continue;
    toolSeen.add(t.name);
    const name = uniqueName(t.name || "unnamed-tool", toolNames, MAX.toolName);
    // Privileges the code does not show are not guessed as read: the tool is assumed to change
    // things (so check asks for approval) until the owner states what it does.
    const privileges = t.privileges.length ? t.privileges : ["write"];
    const writes = t.writes || !t.privileges.length;
    tools.push({ name, kind: t.framework === "mcp" ? "mcp-server" : "function", privileges, humanApproval: "never" });
    const evidence = writeEvidence.get(`${t.location}|${t.name}`);
    toolNotes.push({
      name: `inferred: ${t.framework} tool at ${commentSafe(where(t.location))}${name !== t.name ? `; the code names it ${commentSafe(JSON.stringify(t.name), 80)}` : ""}`,
      privileges: t.privileges.length
        ? `from the code${evidence ? `: ${commentSafe(evidence)}` : ""}`
        : "not visible in the code, so assumed to change things: state what the tool does ([read] if it only reads)",
      approval: writes
        ? "aigate found no approval step in the code: check reports this tool until a human approves its actions and this says on-write or always"
        : "no approval step found in the code",
    });
  }
  if (tools.length) {
    top.add(doc.createPair("tools", tools));
    const seq = pairOf(top, "tools")!.value as YAMLSeq;
    seq.items.forEach((item, i) => {
      const note = toolNotes[i]!;
      comment(valueOf(item, "name"), note.name);
      const priv = valueOf(item, "privileges") as YAMLSeq | undefined;
      if (priv) {
        priv.flow = true;
        priv.comment = ` ${note.privileges}`;
      }
      comment(valueOf(item, "humanApproval"), note.approval);
    });
  }
  if (skipped.length) doc.comment = ` Not written (check by hand):\n${skipped.map((s) => ` - ${s}`).join("\n")}`;

  let text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });

  // Data files: listed for the owner to describe (sensitivity and personal data are not guessed),
  // commented out line by line: the YAML library writes the values, then each line becomes a comment.
  const dataDirs = new Map<string, number>();
  for (const f of files) if (DATA_EXTENSIONS.has(posix.extname(f.path).toLowerCase())) dataDirs.set(posix.dirname(f.path), (dataDirs.get(posix.dirname(f.path)) ?? 0) + 1);
  if (dataDirs.size) {
    const names = new Set<string>();
    const datasets = [...dataDirs].slice(0, 50).map(([dir]) => ({
      name: uniqueName(slug(dir === "." ? "data" : dir), names, 128),
      use: ["training"],
      paths: [`${dir === "." ? "" : `${minimatch.escape(dir)}/`}**`],
      sensitivity: "internal",
      personalData: "none",
    }));
    const block = new Document({ datasets });
    const seq = (block.contents as YAMLMap).items[0]!.value as YAMLSeq;
    [...dataDirs].slice(0, 50).forEach(([, n], i) => {
      (valueOf(seq.items[i], "use") as YAMLSeq).flow = true;
      const paths = valueOf(seq.items[i], "paths") as YAMLSeq;
      paths.flow = true;
      paths.comment = ` ${n} data file${n > 1 ? "s" : ""}`;
    });
    text += "\n# Data files found: describe each dataset (use, sensitivity, personalData) and uncomment.\n";
    text += commentOut(block.toString({ lineWidth: 0, flowCollectionPadding: false }));
  }
  return text;
}

/** Every line of a YAML text as a comment, with any other line break or control character escaped. */
function commentOut(yamlText: string): string {
  return yamlText
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => `# ${commentSafe(l, Infinity)}`)
    .join("\n") + "\n";
}

