// Decompressors for the compressed pickles joblib writes (zlib, gzip, bz2, xz, lzma): node:zlib for
// the first two, pure-JS/WASM libraries for the others (no native add-ons). Output is capped by
// the reader that consumes it.
import type { Readable, Transform } from "node:stream";
import { PassThrough, Readable as NodeReadable } from "node:stream";
import unbzip2 from "unbzip2-stream";
import xzDecompress from "xz-decompress";

const { XzReadableStream } = xzDecompress;

export function decompressor(kind: string, input: Readable, z: { gunzip: () => Transform; inflate: () => Transform }): Readable {
  switch (kind) {
    case "gzip":
      return input.pipe(z.gunzip());
    case "zlib":
      return input.pipe(z.inflate());
    case "bz2":
      return input.pipe(unbzip2() as unknown as Transform).pipe(new PassThrough());
    case "xz": {
      const web = NodeReadable.toWeb(input) as unknown as ReadableStream<Uint8Array>;
      return NodeReadable.fromWeb(new XzReadableStream(web) as unknown as import("node:stream/web").ReadableStream);
    }
    default:
      throw new Error(`${kind} decompression is not supported`);
  }
}
