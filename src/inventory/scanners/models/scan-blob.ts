// Routes a blob (a file, a zip or tar member, a decompressed stream) to its format's parser by
// content. Containers recurse, bounded in depth; every parser reads only what its format needs.
import { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { PICKLE_FORMATS, sniff, SNIFF_BYTES, type Sniffed } from "./detect.js";
import { walkPickle } from "./pickle/walker.js";
import { bufferAccess, CapError, FileRangeReader, StreamReader, windowAccess, type ByteReader, type RandomAccess } from "./reader.js";
import type { WalkOptions } from "./pickle/walker.js";
import { merge, newResult, type FileResult } from "./result.js";
import { scanPickleStream } from "./formats/pickle.js";
import { scanNpy } from "./formats/npy.js";
import { scanSafetensors } from "./formats/safetensors.js";
import { scanGguf } from "./formats/gguf.js";
import { scanOnnx } from "./formats/onnx.js";
import { scanHdf5 } from "./formats/hdf5.js";
import { scanZip } from "./formats/zip-archive.js";
import { scanTar } from "./formats/tar.js";
import { decompressor } from "./formats/compressed.js";

export interface Limits {
  /** Nesting of containers (zip in zip, compressed pickle in zip ...). */
  maxDepth: number;
  /** Bytes a decompressor may produce for one member or stream. */
  maxInflateBytes: number;
  /** Compressed members up to this size may be buffered when their format needs random access. */
  maxBufferedMember: number;
  /** Seconds one decompressed stream may take. */
  maxDecompressSeconds: number;
}

export const DEFAULT_LIMITS: Limits = { maxDepth: 3, maxInflateBytes: 4 * 1024 ** 3, maxBufferedMember: 64 << 20, maxDecompressSeconds: 60 };

/**
 * What a blob's name claims: a pickle (`.pkl`, `.joblib`, torch checkpoints: their loaders unpickle
 * whatever is not a zip) or another model format. A named blob is always reported: content no
 * parser recognises is an error, never "not a model".
 */
export type NamedAs = "pickle" | "model";

const PICKLE_NAME = /\.(pkl|pickle|joblib|dill|pt|pth|ckpt|bin)$/i;
const MODEL_NAME = /\.(safetensors|gguf|ggml|onnx|keras|npy|npz|tflite)$/i;

export function namedAs(path: string): NamedAs | undefined {
  const base = path.replace(/\.(gz|bz2|xz|lzma|z|zlib)$/i, "");
  return PICKLE_NAME.test(base) ? "pickle" : MODEL_NAME.test(base) ? "model" : undefined;
}

/** Opcodes a trial walk runs before it takes a stream that has not failed for a pickle. */
const TRIAL_OPCODES = 4096;
/** First read of a trial walk: the head already in memory, so most files cost no further read. */
const TRIAL_WINDOW = 1024;

export interface BlobContext {
  walk: WalkOptions;
  limits: Limits;
  /** Path of the file in the repository (for ONNX external data paths). */
  filePath: string;
  depth: number;
}

/** A blob to scan: random access when the bytes sit in a file or a buffer, else a stream. */
export interface Blob {
  size: number;
  ra?: RandomAccess;
  /** Opens a fresh sequential reader from byte 0. */
  open(): Promise<ByteReader>;
  /** A name hint (zip member), used only to decide how strict a trial parse is. */
  name?: string;
}

export function accessBlob(ra: RandomAccess, name?: string): Blob {
  return { size: ra.size, ra, open: async () => new FileRangeReader(ra, 0, ra.size), name };
}

/** Result for a blob, or undefined when it is not a model file at all. */
export async function scanBlob(blob: Blob, ctx: BlobContext, hint?: { trial?: boolean; forcePickle?: boolean; named?: NamedAs }): Promise<FileResult | undefined> {
  const res = await scanContent(blob, ctx, hint);
  if (res || !hint?.named) return res;
  if (hint.named === "pickle") return scanKind("pickle", blob, ctx, false);
  const out = newResult("unknown");
  out.findings.push({ verdict: "error", code: "not-a-model", message: "named as a model file, but its content is no model format the scanner reads, so it was not scanned" });
  return out;
}

async function scanContent(blob: Blob, ctx: BlobContext, hint?: { trial?: boolean; forcePickle?: boolean; named?: NamedAs }): Promise<FileResult | undefined> {
  let head: Buffer;
  if (blob.ra) head = await blob.ra.read(0, SNIFF_BYTES);
  else {
    const r = await blob.open();
    head = Buffer.from(await r.peek(SNIFF_BYTES));
    if ("close" in r && typeof r.close === "function") (r as StreamReader).close();
  }
  let kind: Sniffed = sniff(head, blob.size);
  if (hint?.forcePickle && !["pickle", "pytorch-legacy", "zip"].includes(kind)) kind = "pickle";
  const endsAsZip = async () => blob.ra !== undefined && blob.size >= 22 && (await blob.ra.read(blob.size - 22, 4)).readUInt32LE(0) === 0x06054b50;
  if (kind === "pickle-text") {
    // A pickle without a PROTO header has no magic: a trial walk decides, then the zip end record.
    if (await trialWalk(blob)) return scanKind("pickle", blob, ctx, false);
    kind = (await endsAsZip()) ? "zip" : "unknown";
  }
  // A zip with bytes prepended (Python's zipfile and Keras open it): its end record is at the end.
  if (kind === "unknown" && (await endsAsZip())) kind = "zip";
  return scanKind(kind, blob, ctx, hint?.trial ?? false, hint?.named);
}

async function randomAccess(blob: Blob, ctx: BlobContext): Promise<RandomAccess | undefined> {
  if (blob.ra) return blob.ra;
  if (blob.size > ctx.limits.maxBufferedMember) return undefined;
  const r = await blob.open();
  const chunks: Buffer[] = [];
  let total = 0;
  while (await r.ensure(1)) {
    const n = Math.min(r.available, 1 << 20);
    chunks.push(Buffer.from(await r.take(n)));
    total += n;
    if (total > ctx.limits.maxBufferedMember) return undefined;
  }
  return bufferAccess(Buffer.concat(chunks));
}

/**
 * Whether a stream without pickle magic walks as a pickle from byte 0: it reaches STOP, imports a
 * plausible module before it fails, or runs many opcodes without failing, and every name it
 * imports is a Python identifier path. Text and binary files that merely start with an opcode byte
 * fail within their first bytes or import names no module can have.
 */
async function trialWalk(blob: Blob): Promise<boolean> {
  const r = blob.ra ? new FileRangeReader(blob.ra, 0, blob.size, TRIAL_WINDOW) : await blob.open();
  try {
    const p = await walkPickle(r, { lists: TRIAL_LISTS, sweep: false, joblib: false, maxOpcodes: TRIAL_OPCODES });
    // Text that happens to start with GLOBAL and reach a STOP byte (a Python file starting
    // `css = """` whose next lines hold `.chat {`) imports names Python cannot import: not a pickle.
    if (p.globals.some((g) => !IDENTIFIER.test(g.module) || !IDENTIFIER.test(g.name))) return false;
    if (p.stopped) return true;
    const failed = p.issues.find((i) => i.verdict === "error");
    if (!failed) return true;
    if (failed.code === "cap" && p.opcodes >= TRIAL_OPCODES) return true;
    return p.globals.some((g) => g.offset < failed.offset && IDENTIFIER.test(g.module) && IDENTIFIER.test(g.name));
  } finally {
    if (r instanceof StreamReader) r.close();
  }
}

const IDENTIFIER = /^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*$/;
/** The trial only needs to know that something is imported, not whether it is allowed. */
const TRIAL_LISTS = { classify: (module: string, name: string) => ({ resolved: `${module}.${name}`, verdict: "suspicious" as const, reason: "trial" }), callProblem: () => undefined } as unknown as WalkOptions["lists"];

async function scanKind(kind: Sniffed, blob: Blob, ctx: BlobContext, trial: boolean, named?: NamedAs): Promise<FileResult | undefined> {
  switch (kind) {
    case "pickle":
    case "pickle-text":
    case "pytorch-legacy": {
      const legacy = kind === "pytorch-legacy";
      const res = await scanPickleStream(await blob.open(), ctx.walk, legacy ? "pytorch-legacy" : "pickle", { legacy });
      if ((kind === "pickle-text" || trial) && !looksWalked(res)) return undefined;
      if (typeof res.details["trailingZipAt"] === "number" && blob.ra && ctx.depth < ctx.limits.maxDepth) {
        // A pickle with a ZIP appended: zip readers see the archive, so scan it too.
        const at = res.details["trailingZipAt"];
        const inner = await scanBlob(accessBlob(windowAccess(blob.ra, at, blob.size - at)), { ...ctx, depth: ctx.depth + 1 });
        if (inner) merge(res, inner, `zip@${at}`);
      }
      return res;
    }
    case "npy":
      return scanNpy(await blob.open(), ctx.walk, blob.size);
    case "safetensors": {
      const ra = await randomAccess(blob, ctx);
      return ra ? scanSafetensors(ra) : tooBig("safetensors", blob);
    }
    case "gguf":
      return scanGguf(await blob.open(), blob.size);
    case "onnx": {
      const res = await scanOnnx(await blob.open(), blob.size, ctx.filePath);
      // A protobuf that does not parse as a model was probably not ONNX at all.
      return trial && res.findings.some((f) => f.code === "bad-protobuf") ? undefined : res;
    }
    case "hdf5": {
      const ra = await randomAccess(blob, ctx);
      return ra ? scanHdf5(ra) : tooBig("keras-h5", blob);
    }
    case "tflite": {
      const res = newResult("tflite");
      return res;
    }
    case "zip": {
      if (ctx.depth >= ctx.limits.maxDepth) return nestedTooDeep("zip");
      const ra = await randomAccess(blob, ctx);
      if (!ra) return tooBig("zip", blob);
      return scanZip(ra, { ...ctx, depth: ctx.depth + 1 });
    }
    case "tar": {
      if (ctx.depth >= ctx.limits.maxDepth) return nestedTooDeep("tar");
      const ra = await randomAccess(blob, ctx);
      if (!ra) return tooBig("tar", blob);
      return scanTar(ra, { ...ctx, depth: ctx.depth + 1 });
    }
    case "7z": {
      const res = newResult("7z");
      res.unscannable = "7z archive: its content cannot be read here, so a model inside it is not scanned";
      return res;
    }
    case "zstd":
    case "lz4": {
      const res = newResult(kind);
      res.unscannable = `${kind}-compressed data: not decompressed here, so a model inside it is not scanned`;
      return res;
    }
    case "lzma": {
      const res = newResult("lzma");
      res.unscannable = "cannot open LZMA_Alone (legacy .lzma) compression: a pickle inside it is not scanned";
      return res;
    }
    case "gzip":
    case "bz2":
    case "xz":
    case "zlib":
    case "joblib-zf":
      return scanCompressed(kind, blob, ctx, named);
    default:
      return undefined;
  }
}

/** A trial parse counts as a pickle when it reached STOP or imported something. */
function looksWalked(res: FileResult): boolean {
  return res.globals.length > 0 || (res.details["pickles"] as number) > 1 || !res.findings.some((f) => f.code === "broken-stream" || f.code === "cap");
}

function tooBig(format: string, blob: Blob): FileResult {
  const res = newResult(format);
  res.findings.push({ verdict: "error", code: "too-large", message: `compressed member of ${blob.size} bytes needs random access and exceeds the buffering cap` });
  return res;
}

function nestedTooDeep(format: string): FileResult {
  const res = newResult(format);
  res.findings.push({ verdict: "error", code: "nesting", message: "containers nested deeper than the cap" });
  return res;
}

async function scanCompressed(kind: Sniffed, blob: Blob, ctx: BlobContext, named?: NamedAs): Promise<FileResult | undefined> {
  if (ctx.depth >= ctx.limits.maxDepth) return nestedTooDeep(kind);
  const open = async (): Promise<StreamReader> => {
    const src = await blob.open();
    let skip = 0;
    if (kind === "joblib-zf") {
      // joblib <= 0.9: "ZF" + hex length padded with spaces, then a zlib stream.
      const h = await src.peek(64);
      skip = h.indexOf(0x78, 2);
      if (skip < 0) skip = h.length;
    }
    if (skip) await src.skip(skip);
    async function* raw(): AsyncGenerator<Buffer> {
      while (await src.ensure(1)) yield Buffer.from(await src.take(Math.min(src.available, 64 * 1024)));
    }
    const codec = kind === "joblib-zf" ? "zlib" : kind;
    const stream = await decompressor(codec, Readable.from(raw()), { gunzip: createGunzip, inflate: createInflate });
    return new StreamReader(stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>, ctx.limits.maxInflateBytes, () => stream.destroy(), {
      seconds: ctx.limits.maxDecompressSeconds,
      failure: `the ${codec} stream is corrupt or truncated`,
    });
  };
  let head: Buffer;
  let probe: StreamReader | undefined;
  try {
    probe = await open();
    head = Buffer.from(await probe.peek(SNIFF_BYTES));
  } catch (e) {
    // The reader's errors are plain sentences; anything else is a decompressor's own message.
    const res = newResult(kind);
    res.findings.push({ verdict: "error", code: "bad-compression", message: e instanceof CapError ? e.message : `the ${kind} stream does not decompress` });
    return res;
  } finally {
    probe?.close();
  }
  const inner: Sniffed = sniff(head, Number.MAX_SAFE_INTEGER);
  if (inner === "tar") {
    const res = newResult(`tar.${kind}`);
    res.unscannable = `${kind}-compressed tar archive: its members are not scanned, so a model inside it is not checked`;
    return res;
  }
  if ((inner === "unknown" || inner === "safetensors") && named !== "pickle") return undefined;
  // Named as a pickle (`x.joblib`): joblib unpickles whatever it decompressed, so it is walked as one.
  const res = await scanBlob({ size: Number.MAX_SAFE_INTEGER, open }, { ...ctx, depth: ctx.depth + 1 }, named === "pickle" ? { named, forcePickle: inner === "unknown" || inner === "safetensors" } : { trial: inner === "pickle-text" });
  if (!res) return undefined;
  const out = newResult(PICKLE_FORMATS.has(res.format) ? `${res.format === "pickle" ? "joblib" : res.format}-${kind}` : `${res.format}-${kind}`, res.pickle);
  merge(out, res, kind);
  out.details = { ...res.details, compression: kind };
  return out;
}
