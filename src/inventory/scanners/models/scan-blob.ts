// Routes a blob (a file, a zip or tar member, a decompressed stream) to its format's parser by
// content. Containers recurse, bounded in depth; every parser reads only what its format needs.
import { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { PICKLE_FORMATS, sniff, SNIFF_BYTES, type Sniffed } from "./detect.js";
import { bufferAccess, FileRangeReader, StreamReader, windowAccess, type ByteReader, type RandomAccess } from "./reader.js";
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
}

export const DEFAULT_LIMITS: Limits = { maxDepth: 3, maxInflateBytes: 4 * 1024 ** 3, maxBufferedMember: 64 << 20 };

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
export async function scanBlob(blob: Blob, ctx: BlobContext, hint?: { trial?: boolean; forcePickle?: boolean }): Promise<FileResult | undefined> {
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
    // Protocol 0/1 pickles have no magic: a trial walk decides, then the zip end record.
    const res = await scanKind(kind, blob, ctx, hint?.trial ?? false);
    if (res || !(await endsAsZip())) return res;
    kind = "zip";
  }
  // A zip with bytes prepended (Python's zipfile and Keras open it): its end record is at the end.
  if (kind === "unknown" && (await endsAsZip())) kind = "zip";
  return scanKind(kind, blob, ctx, hint?.trial ?? false);
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

async function scanKind(kind: Sniffed, blob: Blob, ctx: BlobContext, trial: boolean): Promise<FileResult | undefined> {
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
    case "gzip":
    case "bz2":
    case "xz":
    case "zlib":
    case "lzma":
    case "joblib-zf":
      return scanCompressed(kind, blob, ctx);
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

async function scanCompressed(kind: Sniffed, blob: Blob, ctx: BlobContext): Promise<FileResult | undefined> {
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
    const stream = decompressor(kind === "joblib-zf" ? "zlib" : kind, Readable.from(raw()), { gunzip: createGunzip, inflate: createInflate });
    return new StreamReader(stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>, ctx.limits.maxInflateBytes, () => stream.destroy());
  };
  let head: Buffer;
  let probe: StreamReader | undefined;
  try {
    probe = await open();
    head = Buffer.from(await probe.peek(SNIFF_BYTES));
  } catch (e) {
    const res = newResult(kind);
    res.findings.push({ verdict: "error", code: "bad-compression", message: `${kind} stream does not decompress: ${(e as Error).message}` });
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
  if (inner === "unknown" || inner === "safetensors") return undefined;
  const res = await scanBlob({ size: Number.MAX_SAFE_INTEGER, open }, { ...ctx, depth: ctx.depth + 1 }, { trial: inner === "pickle-text" });
  if (!res) return undefined;
  const out = newResult(PICKLE_FORMATS.has(res.format) ? `${res.format === "pickle" ? "joblib" : res.format}-${kind}` : `${res.format}-${kind}`, res.pickle);
  merge(out, res, kind);
  out.details = { ...res.details, compression: kind };
  return out;
}
