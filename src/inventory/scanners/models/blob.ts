// What a format's parser is given: a blob (a file, a zip or tar member, a decompressed stream),
// the scan's context and its caps, and the helpers parsers share (random access within the
// buffering cap, the results for a blob too large or nested too deep).
import type { WalkOptions } from "./pickle/walker.js";
import { bufferAccess, FileRangeReader, type ByteReader, type RandomAccess } from "./reader.js";
import { newResult, type FileResult } from "./result.js";

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

/** Bytes detection needs from the start of a blob. */
export const SNIFF_BYTES = 512;

/**
 * What a blob's name claims: a pickle (`.pkl`, `.joblib`, torch checkpoints: their loaders unpickle
 * whatever is not a zip) or another model format. A named blob is always reported: content no
 * parser recognises is an error, never "not a model".
 */
export type NamedAs = "pickle" | "model";

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

/** How a blob is to be taken: as a trial (a member that may be no model), forced to a pickle, or named. */
export interface BlobHint {
  trial?: boolean;
  forcePickle?: boolean;
  named?: NamedAs;
}

/** Scans a blob from detection on: how containers and decompressors recurse into what they hold. */
export type ScanBlob = (blob: Blob, ctx: BlobContext, hint?: BlobHint) => Promise<FileResult | undefined>;

export function accessBlob(ra: RandomAccess, name?: string): Blob {
  return { size: ra.size, ra, open: async () => new FileRangeReader(ra, 0, ra.size), name };
}

/** The blob's bytes with random access: its own, or buffered when within the cap; else undefined. */
export async function randomAccess(blob: Blob, ctx: BlobContext): Promise<RandomAccess | undefined> {
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

export function tooBig(format: string, blob: Blob): FileResult {
  const res = newResult(format);
  res.findings.push({
    verdict: "error",
    code: "too-large",
    message: `compressed member of ${blob.size} bytes needs random access and exceeds the buffering cap`,
  });
  return res;
}

export function nestedTooDeep(format: string): FileResult {
  const res = newResult(format);
  res.findings.push({ verdict: "error", code: "nesting", message: "containers nested deeper than the cap" });
  return res;
}
