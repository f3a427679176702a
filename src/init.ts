// `aigate init [dir]`: a starting ai-system.yaml inferred from the repository — the profile facts
// the code is evidence of, the models it downloads or ships, the tools it gives a model, and the
// data files found — each inferred line with a comment naming the file it came from. Facts the
// code cannot settle are left for the owner to state (listed as comments, not guessed).
import { posix } from "node:path";
import { Document, isMap, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
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

const slug = (s: string, max = 64) =>
  s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, max).replace(/-+$/, "") || "ai-system";
const modelName = (id: string) => id.replace(/[^A-Za-z0-9._/-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 128) || "model";
const where = (location: string) => location.replace(/:(\d+):\d+$/, ":$1");

export async function initManifest(root: string): Promise<string> {
  const { files } = await walkRepository(root);
  const ctx = scanContext(root, files);
  const code = (await codeScanner.scan(ctx)).facts as unknown as CodeFacts;

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
  const owner = pairOf(top, "owner")!;
  owner.key.comment = " TODO: the accountable team and how to reach it";

  const profile = pairOf(top, "profile")!.value as YAMLMap;
  for (const fact of FACT_ORDER) {
    const inferred = code.inferred[fact];
    if (!inferred) continue;
    profile.add(doc.createPair(fact, inferred.value));
    const item = pairOf(profile, fact)!;
    (item.value as Scalar).comment = ` inferred: ${inferred.evidence.replace(/:(\d+):\d+ /, ":$1 ")}`;
  }
  // The Exchange's core facts that the code did not settle: the owner states them.
  const unsettled = loadTaxonomy().profileFacts.filter((f) => f.core && !code.inferred[f.id]).map((f) => f.id);
  profile.comment = ` Not settled by the code; state each one (an unstated fact makes the analysis assume the worst):\n ${unsettled.join(", ")}`;
  if (profile.items.length === 0) profile.flow = true;

  // Models: downloads in code (with their revision) and weights files in the repository.
  const models: Record<string, unknown>[] = [];
  const comments: string[] = [];
  const seen = new Set<string>();
  for (const m of code.models) {
    if (seen.has(m.id) || /^(\.{0,2}\/|~)/.test(m.id)) continue; // a local folder, not a download
    seen.add(m.id);
    models.push({ name: modelName(m.id), source: { uri: `https://huggingface.co/${m.id}`, ...(m.revision ? { revision: m.revision } : {}) } });
    comments.push(`from ${where(m.location)}`);
  }
  for (const f of files) {
    const ext = posix.extname(f.path).toLowerCase();
    const format = MODEL_FORMATS[ext];
    if (!format || (ext === ".bin" && !/model|weights|pytorch/i.test(f.path)) || f.size < 1024) continue;
    models.push({ name: modelName(posix.basename(f.path, ext)), path: `/${f.path}`, format });
    comments.push(`weights file ${f.path}`);
  }
  if (models.length) {
    top.add(doc.createPair("models", models));
    const seq = pairOf(top, "models")!.value as YAMLSeq;
    seq.items.forEach((item, i) => {
      if (isMap(item)) (item.items[0]!.value as Scalar).comment = ` inferred: ${comments[i]}`;
    });
  }

  // Tools the code gives a model.
  const tools: Record<string, unknown>[] = [];
  const toolComments: string[] = [];
  const toolSeen = new Set<string>();
  for (const t of code.tools) {
    if (toolSeen.has(t.name)) continue;
    toolSeen.add(t.name);
    const privileges = t.privileges.length ? t.privileges : ["read"];
    tools.push({ name: t.name, kind: t.framework === "mcp" ? "mcp-server" : "function", privileges, humanApproval: t.writes ? "always" : "never" });
    toolComments.push(`${t.framework} tool at ${where(t.location)}${t.privileges.length ? "" : "; privileges not visible in code, check them"}`);
  }
  if (tools.length) {
    top.add(doc.createPair("tools", tools));
    const seq = pairOf(top, "tools")!.value as YAMLSeq;
    seq.items.forEach((item, i) => {
      if (isMap(item)) (item.items[0]!.value as Scalar).comment = ` inferred: ${toolComments[i]}`;
    });
  }

  // Data files: listed for the owner to describe (sensitivity and personal data are not guessed).
  const dataDirs = new Map<string, number>();
  for (const f of files) if (DATA_EXTENSIONS.has(posix.extname(f.path).toLowerCase())) dataDirs.set(posix.dirname(f.path), (dataDirs.get(posix.dirname(f.path)) ?? 0) + 1);
  let text = doc.toString({ lineWidth: 0 });
  if (dataDirs.size) {
    text += "\n# Data files found: describe each dataset (use, sensitivity, personalData) and uncomment.\n# datasets:\n";
    for (const [dir, n] of [...dataDirs].slice(0, 50)) {
      text += `#   - name: ${slug(dir === "." ? "data" : dir)}\n#     use: [training]\n#     paths: ["${dir === "." ? "" : `${dir}/`}**"]   # ${n} data file${n > 1 ? "s" : ""}\n#     sensitivity: internal\n#     personalData: none\n`;
    }
  }
  return text;
}
