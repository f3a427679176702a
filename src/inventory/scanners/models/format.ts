// A model format: how its content is recognised, how it is parsed, which file names claim it and
// what the manifest calls it. Each format is one file in formats/ and one line in formats/index.ts;
// detection, the scan's dispatch, the extension lists (Git LFS pointers, the data scanner's
// exclusions, `aigate init`), pickle-basedness and the manifest's `models[].format` enum all derive
// from that table.
import type { Blob, BlobContext, NamedAs, ScanBlob } from "./blob.js";
import type { FileResult } from "./result.js";

/** How the dispatcher calls a format's parser. */
export interface FormatCall {
  /** A trial: content that only may be this format (a container member); undefined when it does not parse as one. */
  trial: boolean;
  /** What the blob's name claims. */
  named?: NamedAs;
  /** Scans a nested blob (a member, a decompressed stream) from detection on. */
  scanBlob: ScanBlob;
  /** The id of the format the first bytes of a blob show ("unknown" for none). */
  sniff(head: Buffer, size: number): string;
  /** Whether loading a file of this result format (`FileResult.format`) runs pickled code. */
  pickleBased(format: string): boolean;
}

/** A result format a parser gives (`FileResult.format`). */
export interface ResultFormat {
  /** Loading it runs pickled code (the `model-pickle-format` rule). */
  pickleBased?: boolean;
  /** The manifest's `models[].format` for it (`aigate init`). */
  manifest?: string;
}

export interface ModelFormat {
  /** The name detection gives the content. */
  id: string;
  /** One line: what the format is and what the scanner checks in it (the README's table). */
  description: string;
  /**
   * Whether the first bytes (up to SNIFF_BYTES) of a blob of `size` bytes are this format: magic
   * bytes or structure, never the name. Formats are tried in the registry's order. A format without
   * one is known by its name only (its files are reported, never parsed).
   */
  sniff?(head: Buffer, size: number): boolean;
  /**
   * Further offsets where the format's first bytes may sit in a blob of `size` bytes (an HDF5
   * superblock after a user block), tried with `sniff` when the first bytes show no format.
   */
  sniffAfter?(size: number): readonly number[];
  /** For a sniff that only says "may be": a costlier check; a blob that fails it is no known format. */
  confirm?(blob: Blob): Promise<boolean>;
  /** Parses a blob detected as this format; undefined when it is no model after all. Bounded in bytes, depth and time; errors are findings, never exceptions. */
  scan?(blob: Blob, ctx: BlobContext, call: FormatCall): Promise<FileResult | undefined>;
  /** File-name extensions (lower case, no dot) that claim the format, each with the manifest's `models[].format` for it. */
  extensions?: Readonly<Record<string, string>>;
  /** What a file with one of these extensions is whatever its content: its loader unpickles what it does not recognise ("pickle"), or it is reported even when unrecognised ("model"). */
  namedAs?: NamedAs;
  /** Extensions of a compressed name (`model.pkl.gz`): the name under it says what it holds. */
  wrapperExtensions?: readonly string[];
  /** The result formats the parser gives. */
  results?: Readonly<Record<string, ResultFormat>>;
}
