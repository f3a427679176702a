// The model-format registry: one line per format. Detection tries the sniffs in this order (zip and
// compressors before pickle-text, which matches any stream starting with a pickle opcode), and
// every list about model formats derives from it: the scan's dispatch, which names claim a format,
// which result formats are pickle-based, and the manifest's `models[].format` enum.
import type { ModelFormat, ResultFormat } from "../format.js";
import type { NamedAs } from "../blob.js";
import { bz2Format, gzipFormat, joblibZfFormat, xzFormat, zlibFormat } from "./compressed.js";
import { ggufFormat } from "./gguf.js";
import { hdf5Format } from "./hdf5.js";
import { coremlFormat, otherWeightsFormat, tfSavedModelFormat } from "./named.js";
import { npyFormat } from "./npy.js";
import { onnxFormat } from "./onnx.js";
import { pickleFormat, pickleTextFormat, pytorchLegacyFormat } from "./pickle.js";
import { safetensorsFormat } from "./safetensors.js";
import { tarFormat } from "./tar.js";
import { tfliteFormat } from "./tflite.js";
import { lz4Format, lzmaFormat, sevenZipFormat, zstdFormat } from "./unopened.js";
import { zipFormat } from "./zip-archive.js";
import { escapeRegExp } from "../../../../util/escape.js";

export const MODEL_FORMATS: readonly ModelFormat[] = [
  zipFormat,
  pytorchLegacyFormat,
  pickleFormat,
  npyFormat,
  hdf5Format,
  ggufFormat,
  sevenZipFormat,
  gzipFormat,
  bz2Format,
  xzFormat,
  zstdFormat,
  lz4Format,
  joblibZfFormat,
  tarFormat,
  tfliteFormat,
  safetensorsFormat,
  zlibFormat,
  lzmaFormat,
  onnxFormat,
  pickleTextFormat,
  tfSavedModelFormat,
  coremlFormat,
  otherWeightsFormat,
];

const BY_ID = new Map(MODEL_FORMATS.map((f) => [f.id, f]));
export const modelFormat = (id: string): ModelFormat | undefined => BY_ID.get(id);

/** The format the first bytes show (the first sniff that matches), or undefined. */
export function detectFormat(head: Buffer, size: number): ModelFormat | undefined {
  return MODEL_FORMATS.find((f) => f.sniff?.(head, size));
}

/** Formats whose first bytes may sit further in (see ModelFormat.sniffAfter). */
export const SNIFFED_FURTHER: readonly ModelFormat[] = MODEL_FORMATS.filter((f) => f.sniff && f.sniffAfter);

/** Every extension (lower case, no dot) that claims a model format, with its format. */
export const MODEL_EXTENSIONS: ReadonlyMap<string, ModelFormat> = new Map(
  MODEL_FORMATS.flatMap((f) => Object.keys(f.extensions ?? {}).map((e) => [e, f] as const)),
);

/** A path whose name claims a model format (a Git LFS pointer with it stands for model weights). */
export const MODEL_EXT = new RegExp(`\\.(${[...MODEL_EXTENSIONS.keys()].map(escapeRegExp).join("|")})$`, "i");
const WRAPPED = new RegExp(
  `\\.(${MODEL_FORMATS.flatMap((f) => f.wrapperExtensions ?? [])
    .map(escapeRegExp)
    .join("|")})$`,
  "i",
);

/** The extension of a path's name, lower case, without the dot ("" for none). */
function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot >= 0 ? base.slice(dot + 1).toLowerCase() : "";
}

/** What a path's name claims (under a compressor's extension: `model.pkl.gz` is a pickle). */
export function namedAs(path: string): NamedAs | undefined {
  return MODEL_EXTENSIONS.get(extensionOf(path.replace(WRAPPED, "")))?.namedAs;
}

/** Every result format the parsers give, with what it means. */
export const RESULT_FORMATS: ReadonlyMap<string, ResultFormat> = new Map(MODEL_FORMATS.flatMap((f) => Object.entries(f.results ?? {})));

/** Whether loading a file of this result format runs pickled code. */
export const pickleBasedFormat = (format: string): boolean => RESULT_FORMATS.get(format)?.pickleBased === true;

/** The manifest's `models[].format` values: those of the formats in registry order, then "other". */
export const MANIFEST_MODEL_FORMATS: readonly string[] = [
  ...new Set(
    MODEL_FORMATS.flatMap((f) => [...Object.values(f.results ?? {}).map((r) => r.manifest), ...Object.values(f.extensions ?? {})]).filter(
      (m): m is string => !!m && m !== "other",
    ),
  ),
  "other",
];

/**
 * The manifest's `models[].format` for a model file: from the scanner's result format (the longest
 * declared one it starts with: `numpy-npy-gzip` is numpy), else from the file's extension, else "other".
 */
export function manifestFormat(resultFormat: string, path: string): string {
  let best: [string, ResultFormat] | undefined;
  for (const [name, r] of RESULT_FORMATS) if (r.manifest && resultFormat.startsWith(name) && (!best || name.length > best[0].length)) best = [name, r];
  return best?.[1].manifest ?? MODEL_EXTENSIONS.get(extensionOf(path))?.extensions?.[extensionOf(path)] ?? "other";
}
