// The model-file scanner (`models`): finds model files by content, decides per file whether loading
// it runs code (safe | suspicious | unsafe | error) without executing anything, and reports
// observations. A file's sha256 is computed only when asked for (a manifest entry that declares
// one, `aigate bom`, or settings.modelHashing), in the same pass as the scan; a Git LFS pointer
// carries it. Rules in policies/builtin/models.yaml decide what each observation means.
import { join } from "node:path";
import type { ModelArtifact, Observation, RepoFile, ScanContext, Scanner, ScanResult, Unscanned } from "../../types.js";
import { listOptions, ModelLists } from "./lists.js";
import type { IoStats } from "./reader.js";
import { HEAD_BYTES, RepoFileAccess, type ReadObserver } from "./repo-file.js";
import { accessBlob, DEFAULT_LIMITS, type Limits } from "./blob.js";
import { plainlyNoModel, scanBlob } from "./scan-blob.js";
import { MODEL_EXT, namedAs, pickleBasedFormat } from "./formats/index.js";
import { newResult, verdictOf, type FileResult, type GlobalFound, type ScannedModel, type Verdict } from "./result.js";
import { lfsPointerProblem, mayBeLfsPointer, parseLfsPointer } from "./hash.js";
import { observationsFor } from "./observations.js";
import { byPath, inRoot } from "../../context.js";
import { stripTrailing } from "../../../util/strip.js";
import { append } from "../../../util/append.js";

export const MODELS_SCANNER_ID = "models";
const ID = MODELS_SCANNER_ID;
// Walking is single-threaded JS: a few files in flight overlap their reads with the walking of the
// others, and more would only hold more stacks and windows in memory at once.
const CONCURRENCY = 4;
/** Extensions that make a Git LFS pointer a model pointer (its content is absent, so only the name can tell): the format registry's. */
export { MODEL_EXT };

/**
 * Which model files get a sha256: "declared" (a gate run's default) those under a `hashPaths`
 * entry (the manifests' models[] paths that declare a digest), "all" every one (settings.modelHashing:
 * true, an AI-BOM, `aigate init`), "none" none (settings.modelHashing: false).
 */
export type HashMode = "all" | "declared" | "none";

export interface ModelScanOptions {
  hashing: HashMode;
  /** Files or folders (relative, POSIX) whose model files are hashed under "declared". */
  hashPaths: readonly string[];
  limits: Limits;
}

/** What the caller knows beyond the settings: files a manifest declares a digest for, or "hash all". */
export interface HashRequest {
  all?: boolean;
  paths?: readonly string[];
}

/**
 * The scan's options. With a `request` (a run of the gate) the digests are computed on demand;
 * without one (a caller that wants every digest, such as `aigate init`), every model file is hashed
 * unless settings.modelHashing is false.
 */
export function modelScanOptions(settings: Record<string, unknown>, request?: HashRequest): ModelScanOptions {
  const raw = (settings["modelScan"] && typeof settings["modelScan"] === "object" ? settings["modelScan"] : {}) as Record<string, unknown>;
  const num = (k: keyof Limits, min: number) =>
    typeof raw[k] === "number" && Number.isInteger(raw[k]) && (raw[k] as number) >= min ? (raw[k] as number) : DEFAULT_LIMITS[k];
  const setting = settings["modelHashing"];
  const off = setting === false || setting === "none";
  const hashing: HashMode = request?.all ? "all" : off ? "none" : !request || setting === true || setting === "all" ? "all" : "declared";
  return {
    hashing,
    hashPaths: hashing === "declared" ? (request?.paths ?? []).map((p) => stripTrailing(p, "/")) : [],
    limits: {
      maxDepth: Math.min(num("maxDepth", 1), 8),
      maxInflateBytes: num("maxInflateBytes", 1024),
      maxBufferedMember: num("maxBufferedMember", 1024),
      maxDecompressSeconds: num("maxDecompressSeconds", 1),
    },
  };
}

/** True when the file's sha256 is to be computed. */
export function wantsHash(options: Pick<ModelScanOptions, "hashing" | "hashPaths">, path: string): boolean {
  if (options.hashing !== "declared") return options.hashing === "all";
  return options.hashPaths.some((d) => d === "" || d === "." || path === d || path.startsWith(d + "/"));
}

export type { ScannedModel };

/** How one file is read: whether to hash it, and who sees its reads (the scan cache). */
export interface ModelFileIo {
  hash?: boolean;
  observe?: ReadObserver;
  /** The whole file, already read on this thread by another scanner (see RepoFileOptions.bytes). */
  bytes?: Buffer;
}

/**
 * True when a file whose whole bytes are in memory (a source file the code scanner read) is
 * settled as no model without a scan: not named as one, not an LFS pointer, no model's start and no
 * zip's end. scanModelFile would return undefined for it; this answers synchronously.
 */
export function plainlyNotAModel(file: RepoFile, bytes: Buffer): boolean {
  return bytes.length === file.size && !mayBeLfsPointer(bytes) && !namedAs(file.path) && plainlyNoModel(bytes);
}

export async function scanModelFile(
  root: string,
  file: RepoFile,
  lists: ModelLists,
  options: ModelScanOptions,
  stats: IoStats,
  io: ModelFileIo = { hash: wantsHash(options, file.path) },
): Promise<ScannedModel | undefined> {
  const named = namedAs(file.path);
  if (file.size < 2 && !named) return undefined;
  const path = inRoot(root, file.path);
  const ra = new RepoFileAccess(path, file.size, stats, { hash: io.hash, observe: io.observe, bytes: io.bytes });
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
      result.findings.push({
        verdict: "error",
        code: "not-a-model",
        message: "named as a model file, but it is an archive without a model in it, so nothing was scanned",
      });
      delete result.details["noModel"];
    }
    if (!result || result.details["noModel"]) return undefined;
    const verdict = verdictOf(result);
    const sha256 = io.hash ? await ra.sha256() : null;
    const artifact: ModelArtifact = {
      path: file.path,
      format: result.format,
      verdict,
      sha256,
      size: file.size,
      globals: decidingGlobals(result.globals, verdict),
      details: { pickleBased: result.pickle || pickleBasedFormat(result.format), findings: result.findings.length, ...result.details },
    };
    const unscanned =
      verdict === "error" ? (result.unscannable ?? result.findings.find((f) => f.verdict === "error")?.message ?? "could not be parsed") : undefined;
    return { artifact, result, unscanned };
  } finally {
    ra.close();
  }
}

/**
 * Fills in the sha256 of model artifacts that have none (for a caller that needs every digest
 * after a run that computed only the declared ones, e.g. an AI-BOM): each file is streamed once.
 */
export async function hashModelFiles(root: string, models: ModelArtifact[], stats: IoStats = { bytesRead: 0 }): Promise<void> {
  for (const m of models) {
    if (m.sha256 !== null || m.format === "lfs-pointer") continue;
    const ra = new RepoFileAccess(join(root, m.path), m.size, stats, { hash: true });
    try {
      m.sha256 = await ra.sha256();
    } finally {
      ra.close();
    }
  }
}

/** The ScanResult of per-file outcomes, in the order of the files. */
export function modelsResult(found: readonly (ScannedModel | undefined)[], unreadable: readonly Unscanned[], bytesRead: number): ScanResult {
  const observations: Observation[] = [];
  const unscanned: Unscanned[] = [...unreadable];
  const models: ModelArtifact[] = [];
  for (const m of found) {
    if (!m) continue;
    models.push(m.artifact);
    if (m.unscanned) unscanned.push({ path: m.artifact.path, scanner: ID, reason: m.unscanned });
    append(observations, observationsFor(ID, m));
  }
  return { observations, unscanned, models, facts: { [ID]: { files: models.length, bytesRead } } };
}

/** The reason a file that could not be opened is reported (only when it could be a model), or undefined. */
export function unreadableModel(file: RepoFile, e: unknown): Unscanned | undefined {
  return MODEL_EXT.test(file.path) ? { path: file.path, scanner: ID, reason: `could not be read: ${e instanceof Error ? e.message : String(e)}` } : undefined;
}

/** Identical committed files (one git blob id, same name-derived treatment) are scanned once. */
export function blobKey(file: RepoFile): string | undefined {
  return file.oid ? `${file.oid}\u0000${namedAs(file.path) ?? ""}\u0000${MODEL_EXT.test(file.path) ? 1 : 0}` : undefined;
}

/** The globals behind the verdict: the unsafe ones, else the suspicious ones, else every allowed one. */
function decidingGlobals(globals: GlobalFound[], verdict: Verdict): string[] {
  const pick = (v: Verdict) => [...new Set(globals.filter((g) => g.verdict === v).map((g) => g.resolved))];
  const out = verdict === "unsafe" ? pick("unsafe") : verdict === "suspicious" ? pick("suspicious") : [];
  const list = out.length ? out : verdict === "safe" ? pick("safe") : [...pick("unsafe"), ...pick("suspicious")];
  return list.slice(0, 100);
}

export const modelsScanner: Scanner = {
  meta: {
    id: ID,
    description:
      "Model files found by content (pickle, PyTorch, NumPy, joblib, Keras, ONNX, safetensors, GGUF): whether loading them runs code, and their sha256 where one is needed.",
  },
  scan: (ctx: ScanContext) => scanModels(ctx),
};

/** The scanner's run, with what the caller knows about which files need a sha256. */
export async function scanModels(ctx: ScanContext, request?: HashRequest): Promise<ScanResult> {
  const lists = new ModelLists(listOptions(ctx.settings));
  const options = modelScanOptions(ctx.settings, request);
  const stats: IoStats = { bytesRead: 0 };
  const unreadable: Unscanned[] = [];
  const found: (ScannedModel | undefined)[] = new Array(ctx.files.length);
  // Identical committed files (one git blob id) are scanned once: a thousand copies of one slow
  // file cost one scan. The first copy is scanned; the others take its result under their path.
  const firstWithId = new Map<string, number>();
  const copies: [number, number][] = [];
  const order: number[] = [];
  // A first copy is hashed when any copy's digest is wanted (identical bytes, one digest).
  const hash = new Set<number>();
  ctx.files.forEach((f, i) => {
    const key = blobKey(f);
    const first = key ? firstWithId.get(key) : undefined;
    if (first === undefined) {
      if (key) firstWithId.set(key, i);
      order.push(i);
    } else copies.push([i, first]);
    if (wantsHash(options, f.path)) hash.add(first ?? i);
  });
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < order.length; k = next++) {
      const i = order[k]!;
      const file = ctx.files[i]!;
      try {
        found[i] = await scanModelFile(ctx.root, file, lists, options, stats, { hash: hash.has(i) });
      } catch (e) {
        // Unreadable (permissions, vanished): only worth reporting when it could be a model.
        const u = unreadableModel(file, e);
        if (u) unreadable.push(u);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  for (const [i, first] of copies) found[i] = copyOf(found[first], ctx.files[i]!.path, wantsHash(options, ctx.files[i]!.path));
  // The first copy drops a digest only its copies wanted.
  for (const i of hash) if (!wantsHash(options, ctx.files[i]!.path)) found[i] = copyOf(found[i], ctx.files[i]!.path, false);
  unreadable.sort(byPath);
  return modelsResult(found, unreadable, stats.bytesRead);
}

/** A copy's outcome: the first copy's, under the copy's path, with its digest only when wanted. */
export function copyOf(m: ScannedModel | undefined, path: string, withDigest: boolean): ScannedModel | undefined {
  if (!m) return undefined;
  return { ...m, artifact: { ...m.artifact, path, sha256: withDigest || m.artifact.format === "lfs-pointer" ? m.artifact.sha256 : null } };
}
