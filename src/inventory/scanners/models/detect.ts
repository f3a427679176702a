// Format detection by content (magic bytes and structure), never by extension: the first bytes of a
// file or member pick its parser. Zip and compressors are tested before pickle, because protocol 0/1
// pickles have no magic and are recognised by their first opcodes.
import { PICKLE_OPCODES } from "./pickle/opcodes.js";

export type Sniffed =
  | "zip"
  | "pytorch-legacy"
  | "pickle"
  | "pickle-text"
  | "npy"
  | "hdf5"
  | "gguf"
  | "safetensors"
  | "onnx"
  | "tflite"
  | "7z"
  | "tar"
  | "gzip"
  | "bz2"
  | "xz"
  | "zlib"
  | "lzma"
  | "zstd"
  | "lz4"
  | "joblib-zf"
  | "unknown";

/** Bytes detection needs from the start of a blob. */
export const SNIFF_BYTES = 512;

const LEGACY_TORCH = Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]);
const HDF5 = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniff(head: Buffer, size: number): Sniffed {
  const at = (i: number) => head[i] ?? -1;
  const starts = (magic: Buffer | number[], off = 0) => magic.every((b, i) => head[off + i] === b);
  if (starts([0x50, 0x4b, 0x03, 0x04]) || starts([0x50, 0x4b, 0x05, 0x06]) || starts([0x50, 0x4b, 0x07, 0x08])) return "zip";
  if (starts(LEGACY_TORCH)) return "pytorch-legacy";
  if (at(0) === 0x80 && at(1) >= 0 && at(1) <= 5) return "pickle";
  if (starts([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return "npy";
  if (starts(HDF5)) return "hdf5";
  if (starts([0x47, 0x47, 0x55, 0x46])) return "gguf";
  if (starts([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return "7z";
  if (starts([0x1f, 0x8b])) return "gzip";
  if (starts([0x42, 0x5a, 0x68]) && at(3) >= 0x31 && at(3) <= 0x39) return "bz2";
  if (starts([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return "xz";
  if (starts([0x28, 0xb5, 0x2f, 0xfd])) return "zstd";
  if (starts([0x04, 0x22, 0x4d, 0x18])) return "lz4";
  if (starts([0x5a, 0x46]) && /^ZF0x[0-9a-fA-F]+/.test(head.subarray(0, 24).toString("latin1"))) return "joblib-zf";
  if (head.length >= 262 && head.subarray(257, 262).toString("latin1") === "ustar") return "tar";
  if (head.length >= 8 && head.subarray(4, 8).toString("latin1") === "TFL3") return "tflite";
  if (head.length >= 9 && at(8) === 0x7b) {
    const n = head.readBigUInt64LE(0);
    // Any plausible length (text would read as a huge number): a bad one is the parser's error to report.
    if (n > 1n && (n <= BigInt(Math.max(0, size - 8)) || n < 1n << 40n)) return "safetensors";
  }
  // zlib: any valid header without a preset dictionary (joblib opens every stream starting 0x78).
  if (at(0) === 0x78 && at(1) >= 0 && ((at(0) << 8) | at(1)) % 31 === 0 && (at(1) & 0x20) === 0) return "zlib";
  // LZMA_Alone ("legacy .lzma"): joblib opens every stream starting 5D 00 00, whatever its dictionary size.
  if (starts([0x5d, 0x00, 0x00])) return "lzma";
  if (looksLikeOnnx(head)) return "onnx";
  if (head.length > 0 && PICKLE_OPCODES.has(at(0))) return "pickle-text";
  return "unknown";
}

/** An ONNX ModelProto starts with ir_version (field 1, varint 1..15) followed by a known field. */
function looksLikeOnnx(h: Buffer): boolean {
  if (h[0] !== 0x08 || !h[1] || h[1] < 1 || h[1] > 15) return false;
  const tag = h[2];
  // producer_name (2), producer_version (3), domain (4), model_version (5, varint), doc_string (6), graph (7), opset_import (8)
  return tag === 0x12 || tag === 0x1a || tag === 0x22 || tag === 0x28 || tag === 0x32 || tag === 0x3a || tag === 0x42;
}

/** Formats whose loading runs pickled code. */
export const PICKLE_FORMATS = new Set(["pickle", "pytorch-zip", "pytorch-legacy", "pytorch-legacy-tar", "torchscript", "joblib", "numpy-object"]);
