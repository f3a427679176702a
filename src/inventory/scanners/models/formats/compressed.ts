// Decompressors for the compressed pickles joblib writes (zlib, gzip, bz2, xz): node:zlib for the
// first two, pure-JS/WASM libraries for the others (no native add-ons). Streams are joined with
// stream.pipeline, so an error anywhere in the chain (a corrupt bz2 block) reaches the reader as a
// rejected read instead of an unhandled 'error' event. Output is capped in bytes and time by the
// reader that consumes it. LZMA_Alone (legacy .lzma) has no streaming pure-JS reader with an
// output bound: such streams are reported as not opened (scan-blob.ts). The bz2 and xz libraries are
// loaded the first time such a stream is met. What a stream holds is detected and scanned like any
// blob; a pickle (or a stream named as one, as joblib's are) is reported as `joblib-<codec>`.
import type { Transform } from "node:stream";
import { pipeline, PassThrough, Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { nestedTooDeep, SNIFF_BYTES, type Blob, type BlobContext } from "../blob.js";
import type { FormatCall, ModelFormat } from "../format.js";
import { CapError, StreamReader } from "../reader.js";
import { merge, newResult, type FileResult } from "../result.js";

const compressed = (id: string, description: string, sniff: (h: Buffer) => boolean, wrapperExtensions: string[]): ModelFormat => ({
  id,
  description,
  sniff,
  scan: (blob, ctx, call) => scanCompressed(id, blob, ctx, call),
  wrapperExtensions,
});
const starts = (h: Buffer, magic: number[]) => magic.every((b, i) => h[i] === b);

export const gzipFormat = compressed(
  "gzip",
  "gzip stream (joblib's compressed dumps): decompressed, bounded in bytes and time, and its content scanned",
  (h) => starts(h, [0x1f, 0x8b]),
  ["gz"],
);
export const bz2Format = compressed(
  "bz2",
  "bzip2 stream: decompressed and its content scanned",
  (h) => starts(h, [0x42, 0x5a, 0x68]) && h[3] !== undefined && h[3] >= 0x31 && h[3] <= 0x39,
  ["bz2"],
);
export const xzFormat = compressed("xz", "xz stream: decompressed and its content scanned", (h) => starts(h, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), ["xz"]);
export const joblibZfFormat: ModelFormat = {
  ...compressed(
    "joblib-zf",
    "joblib <= 0.9 compressed dump (`ZF` and a length, then zlib): decompressed and walked",
    (h) => starts(h, [0x5a, 0x46]) && /^ZF0x[0-9a-fA-F]+/.test(h.subarray(0, 24).toString("latin1")),
    [],
  ),
  extensions: { joblib: "joblib" },
  namedAs: "pickle",
};
// zlib: any valid header without a preset dictionary (joblib opens every stream starting 0x78).
export const zlibFormat = compressed(
  "zlib",
  "zlib stream (joblib's default compression): decompressed and its content scanned",
  (h) => h[0] === 0x78 && h[1] !== undefined && ((h[0] << 8) | h[1]) % 31 === 0 && (h[1] & 0x20) === 0,
  ["z", "zlib"],
);

const ignore = () => undefined;

export async function decompressor(kind: string, input: Readable, z: { gunzip: () => Transform; inflate: () => Transform }): Promise<Readable> {
  let out: Readable;
  switch (kind) {
    case "gzip":
      out = pipeline(input, z.gunzip(), ignore);
      break;
    case "zlib":
      out = pipeline(input, z.inflate(), ignore);
      break;
    case "bz2": {
      const unbzip2 = (await import("unbzip2-stream")).default;
      out = pipeline(input, unbzip2() as unknown as Transform, new PassThrough(), ignore);
      break;
    }
    case "xz": {
      const { XzReadableStream } = (await import("xz-decompress")).default;
      const web = Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>;
      out = Readable.fromWeb(new XzReadableStream(web) as unknown as import("node:stream/web").ReadableStream);
      input.on("error", ignore);
      break;
    }
    default:
      throw new Error(`${kind} decompression is not supported`);
  }
  // The reader sees errors through its async iterator; once it has stopped reading, a late error
  // of a destroyed stream has nobody to tell and must not end the process.
  out.on("error", ignore);
  return out;
}

/** A compressed stream: what it decompresses to, scanned from detection on, under the codec's name. */
async function scanCompressed(kind: string, blob: Blob, ctx: BlobContext, call: FormatCall): Promise<FileResult | undefined> {
  const named = call.named;
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
  const inner = call.sniff(head, Number.MAX_SAFE_INTEGER);
  if (inner === "tar") {
    const res = newResult(`tar.${kind}`);
    res.unscannable = `${kind}-compressed tar archive: its members are not scanned, so a model inside it is not checked`;
    return res;
  }
  if ((inner === "unknown" || inner === "safetensors") && named !== "pickle") return undefined;
  // Named as a pickle (`x.joblib`): joblib unpickles whatever it decompressed, so it is walked as one.
  const res = await call.scanBlob(
    { size: Number.MAX_SAFE_INTEGER, open },
    { ...ctx, depth: ctx.depth + 1 },
    named === "pickle" ? { named, forcePickle: inner === "unknown" || inner === "safetensors" } : { trial: inner === "pickle-text" },
  );
  if (!res) return undefined;
  const out = newResult(call.pickleBased(res.format) ? `${res.format === "pickle" ? "joblib" : res.format}-${kind}` : `${res.format}-${kind}`, res.pickle);
  merge(out, res, kind);
  out.details = { ...res.details, compression: kind };
  return out;
}
