// Decompressors for the compressed pickles joblib writes (zlib, gzip, bz2, xz): node:zlib for the
// first two, pure-JS/WASM libraries for the others (no native add-ons). Streams are joined with
// stream.pipeline, so an error anywhere in the chain (a corrupt bz2 block) reaches the reader as a
// rejected read instead of an unhandled 'error' event. Output is capped in bytes and time by the
// reader that consumes it. LZMA_Alone (legacy .lzma) has no streaming pure-JS reader with an
// output bound: such streams are reported as not opened (scan-blob.ts). The bz2 and xz libraries are
// loaded the first time such a stream is met.
import type { Transform } from "node:stream";
import { pipeline, PassThrough, Readable } from "node:stream";

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
