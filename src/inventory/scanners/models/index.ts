// The model-file scanner (`models`): finds model files by content, decides per file whether loading
// it runs code (safe | suspicious | unsafe | error) without executing anything, hashes it, and
// reports observations. Rules in policies/builtin/models.yaml decide what each observation means.
import { open } from "node:fs/promises";
import { join } from "node:path";
import type { ModelArtifact, Observation, RepoFile, ScanContext, Scanner, ScanResult, Unscanned } from "../../types.js";
import { listOptions, ModelLists } from "./lists.js";
import type { IoStats } from "./reader.js";
import { HEAD_BYTES, RepoFileAccess } from "./repo-file.js";
import { accessBlob, DEFAULT_LIMITS, namedAs, scanBlob, type Limits } from "./scan-blob.js";
import { PICKLE_FORMATS } from "./detect.js";
import { newResult, verdictOf, type FileResult, type GlobalFound, type Verdict } from "./result.js";
import { lfsPointerProblem, parseLfsPointer, sha256File } from "./hash.js";
import { observationsFor } from "./observations.js";

const ID = "models";
// Walking is single-threaded JS: a few files in flight overlap their reads with the walking of the
// others, and more would only hold more stacks and windows in memory at once.
const CONCURRENCY = 4;
/** Extensions that make a Git LFS pointer a model pointer (its content is absent, so only the name can tell). */
const MODEL_EXT = /\.(pt|pth|bin|ckpt|pkl|pickle|joblib|safetensors|gguf|ggml|onnx|h5|hdf5|keras|npy|npz|pb|tflite|msgpack|model|mlmodel|dat)$/i;

export interface ModelScanOptions {
  /** Compute sha256 of every model file (default true; settings.modelHashing = false turns it off). */
  hashing: boolean;
  limits: Limits;
}

export function modelScanOptions(settings: Record<string, unknown>): ModelScanOptions {
  const raw = (settings["modelScan"] && typeof settings["modelScan"] === "object" ? settings["modelScan"] : {}) as Record<string, unknown>;
  const num = (k: keyof Limits, min: number) => (typeof raw[k] === "number" && Number.isInteger(raw[k]) && (raw[k] as number) >= min ? (raw[k] as number) : DEFAULT_LIMITS[k]);
  return {
    hashing: settings["modelHashing"] !== false,
    limits: { maxDepth: Math.min(num("maxDepth", 1), 8), maxInflateBytes: num("maxInflateBytes", 1024), maxBufferedMember: num("maxBufferedMember", 1024), maxDecompressSeconds: num("maxDecompressSeconds", 1) },
  };
}

/** One file's outcome. */
export interface ScannedModel {
  artifact: ModelArtifact;
  result?: FileResult;
  unscanned?: string;
}

export async function scanModelFile(root: string, file: RepoFile, lists: ModelLists, options: ModelScanOptions, stats: IoStats): Promise<ScannedModel | undefined> {
  const named = namedAs(file.path);
  if (file.size < 2 && !named) return undefined;
  const path = join(root, file.path);
  const ra = new RepoFileAccess(path, file.size, stats);
  try {
    const lfs = file.size <= HEAD_BYTES ? parseLfsPointer(ra.head) : undefined;
    if (lfs) {
      if (!MODEL_EXT.test(file.path)) return undefined;
      const reason = "Git LFS pointer: the model's content is not in the repository, so it was not scanned";
      return {
        artifact: { path: file.path, format: "lfs-pointer", verdict: "unscanned", sha256: lfs.sha256, size: lfs.size, details: { lfs: true } },
        unscanned: reason,
      };
    }
    const lfsProblem = MODEL_EXT.test(file.path) ? lfsPointerProblem(ra.head) : undefined;
    let result: FileResult | undefined;
    if (lfsProblem) {
      result = newResult("lfs-pointer-malformed");
      result.findings.push({ verdict: "error", code: "lfs-pointer-malformed", message: `a Git LFS pointer, not the weights; malformed: ${lfsProblem}` });
    } else {
      try {
        result = await scanBlob(accessBlob(ra), { walk: { lists }, limits: options.limits, filePath: file.path, depth: 0 }, named ? { named } : undefined);
      } catch {
        // Every parser reports what it can read as findings; an exception here is a defect, so
        // its message (internals) is not shown: the file is an error, never safe.
        result = newResult("unknown");
        result.findings.push({ verdict: "error", code: "scan-failed", message: "the scanner could not read this file" });
      }
    }
    if (result?.details["noModel"] && named) {
      result.findings.push({ verdict: "error", code: "not-a-model", message: "named as a model file, but it is an archive without a model in it, so nothing was scanned" });
      delete result.details["noModel"];
    }
    if (!result || result.details["noModel"]) return undefined;
    const verdict = verdictOf(result);
    const sha256 = options.hashing ? await hashFile(path, file.size, stats) : null;
    const artifact: ModelArtifact = {
      path: file.path,
      format: result.format,
      verdict,
      sha256,
      size: file.size,
      globals: decidingGlobals(result.globals, verdict),
      details: { pickleBased: result.pickle || PICKLE_FORMATS.has(result.format), findings: result.findings.length, ...result.details },
    };
    const unscanned = verdict === "error" ? (result.unscannable ?? result.findings.find((f) => f.verdict === "error")?.message ?? "could not be parsed") : undefined;
    return { artifact, result, unscanned };
  } finally {
    ra.close();
  }
}

/** Hashing streams the whole file through its own handle (model files only, so rarely opened twice). */
async function hashFile(path: string, size: number, stats: IoStats): Promise<string> {
  const fh = await open(path, "r");
  try {
    return await sha256File(fh, size, stats);
  } finally {
    await fh.close();
  }
}

/** The globals behind the verdict: the unsafe ones, else the suspicious ones, else every allowed one. */
function decidingGlobals(globals: GlobalFound[], verdict: Verdict): string[] {
  const pick = (v: Verdict) => [...new Set(globals.filter((g) => g.verdict === v).map((g) => g.resolved))];
  const out = verdict === "unsafe" ? pick("unsafe") : verdict === "suspicious" ? pick("suspicious") : [];
  const list = out.length ? out : verdict === "safe" ? pick("safe") : [...pick("unsafe"), ...pick("suspicious")];
  return list.slice(0, 100);
}

export const modelsScanner: Scanner = {
  meta: { id: ID, description: "Model files found by content (pickle, PyTorch, NumPy, joblib, Keras, ONNX, safetensors, GGUF): whether loading them runs code, and their sha256." },
  async scan(ctx: ScanContext): Promise<ScanResult> {
    const lists = new ModelLists(listOptions(ctx.settings));
    const options = modelScanOptions(ctx.settings);
    const stats: IoStats = { bytesRead: 0 };
    const observations: Observation[] = [];
    const unscanned: Unscanned[] = [];
    const found: (ScannedModel | undefined)[] = new Array(ctx.files.length);
    // Identical committed files (one git blob id) are scanned once: a thousand copies of one slow
    // file cost one scan. The first copy is scanned; the others take its result under their path.
    const firstWithId = new Map<string, number>();
    const copies: [number, number][] = [];
    const order: number[] = [];
    ctx.files.forEach((f, i) => {
      const first = f.oid ? firstWithId.get(f.oid) : undefined;
      if (first === undefined) {
        if (f.oid) firstWithId.set(f.oid, i);
        order.push(i);
      } else copies.push([i, first]);
    });
    let next = 0;
    const worker = async () => {
      for (let k = next++; k < order.length; k = next++) {
        const i = order[k]!;
        const file = ctx.files[i]!;
        try {
          found[i] = await scanModelFile(ctx.root, file, lists, options, stats);
        } catch (e) {
          // Unreadable (permissions, vanished): only worth reporting when it could be a model.
          if (MODEL_EXT.test(file.path)) unscanned.push({ path: file.path, scanner: ID, reason: `could not be read: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    for (const [i, first] of copies) {
      const m = found[first];
      if (m) found[i] = { ...m, artifact: { ...m.artifact, path: ctx.files[i]!.path } };
    }
    const models: ModelArtifact[] = [];
    for (const m of found) {
      if (!m) continue;
      models.push(m.artifact);
      if (m.unscanned) unscanned.push({ path: m.artifact.path, scanner: ID, reason: m.unscanned });
      observations.push(...observationsFor(ID, m));
    }
    return { observations, unscanned, models, facts: { [ID]: { files: models.length, bytesRead: stats.bytesRead } } };
  },
};
