// Routes a blob (a file, a zip or tar member, a decompressed stream) to its format's parser by
// content, through the format registry (formats/index.ts). Containers recurse through scanBlob,
// bounded in depth; every parser reads only what its format needs.
import { SNIFF_BYTES, type Blob, type BlobContext, type BlobHint, type NamedAs } from "./blob.js";
import { sniff } from "./detect.js";
import type { FormatCall, ModelFormat } from "./format.js";
import { modelFormat, namedAs, pickleBasedFormat, SNIFFED_FURTHER } from "./formats/index.js";
import type { RandomAccess, StreamReader } from "./reader.js";
import { newResult, type FileResult } from "./result.js";
import { EOCD_BYTES, isEndRecordTail } from "./zip.js";

export { accessBlob, DEFAULT_LIMITS, type Blob, type BlobContext, type BlobHint, type Limits, type NamedAs } from "./blob.js";
export { namedAs };

/** Detection hands a blob that may hold pickles to its own parser even when named as a pickle. */
const HOLDS_PICKLES = new Set(["pickle", "pytorch-legacy", "zip"]);

/** Result for a blob, or undefined when it is not a model file at all. */
export async function scanBlob(blob: Blob, ctx: BlobContext, hint?: BlobHint): Promise<FileResult | undefined> {
  const res = await scanContent(blob, ctx, hint);
  if (res || !hint?.named) return res;
  if (hint.named === "pickle") return scanAs("pickle", blob, ctx, false);
  const out = newResult("unknown");
  out.findings.push({
    verdict: "error",
    code: "not-a-model",
    message: "named as a model file, but its content is no model format the scanner reads, so it was not scanned",
  });
  return out;
}

async function scanContent(blob: Blob, ctx: BlobContext, hint?: BlobHint): Promise<FileResult | undefined> {
  let head: Buffer;
  if (blob.ra) head = await blob.ra.read(0, SNIFF_BYTES);
  else {
    const r = await blob.open();
    head = Buffer.from(await r.peek(SNIFF_BYTES));
    if ("close" in r && typeof r.close === "function") (r as StreamReader).close();
  }
  let kind = sniff(head, blob.size);
  if (hint?.forcePickle && !HOLDS_PICKLES.has(kind)) kind = "pickle";
  const endsAsZip = async () => blob.ra !== undefined && blob.size >= EOCD_BYTES && isEndRecordTail(await blob.ra.read(blob.size - EOCD_BYTES, EOCD_BYTES));
  const confirm = modelFormat(kind)?.confirm;
  if (confirm) {
    // A sniff that only says "may be" (a pickle without a PROTO header has no magic): its check
    // decides, then the zip end record.
    if (await confirm(blob)) return scanAs(kind, blob, ctx, false);
    kind = (await endsAsZip()) ? "zip" : "unknown";
  }
  // A zip with bytes prepended (Python's zipfile and Keras open it): its end record is at the end.
  if (kind === "unknown" && (await endsAsZip())) kind = "zip";
  if (kind === "unknown" && blob.ra) kind = (await sniffFurther(blob.ra)) ?? kind;
  return scanAs(kind, blob, ctx, hint?.trial ?? false, hint?.named);
}

/**
 * True when a file's whole bytes, already in memory, are plainly no model: scanContent would sniff
 * "unknown" and find no zip end record, and so return undefined. Synchronous, for the many source
 * files the code scanner has just read: the same answer without scanContent's chain of awaits.
 * False says nothing (scanContent decides).
 */
export function plainlyNoModel(bytes: Buffer): boolean {
  if (sniff(bytes.subarray(0, SNIFF_BYTES), bytes.length) !== "unknown") return false;
  if (bytes.length >= EOCD_BYTES && isEndRecordTail(bytes.subarray(bytes.length - EOCD_BYTES))) return false;
  for (const format of SNIFFED_FURTHER)
    for (const at of format.sniffAfter!(bytes.length)) if (format.sniff!(bytes.subarray(at, at + SNIFF_BYTES), bytes.length - at)) return false;
  return true;
}

/** A format whose first bytes sit further in (an HDF5 superblock after a user block). */
async function sniffFurther(ra: RandomAccess): Promise<string | undefined> {
  for (const format of SNIFFED_FURTHER)
    for (const at of format.sniffAfter!(ra.size)) if (format.sniff!(await ra.read(at, SNIFF_BYTES), ra.size - at)) return format.id;
  return undefined;
}

/** Scans a blob as the format with this id (undefined for "unknown" and formats known by name only). */
function scanAs(id: string, blob: Blob, ctx: BlobContext, trial: boolean, named?: NamedAs): Promise<FileResult | undefined> {
  const format: ModelFormat | undefined = modelFormat(id);
  if (!format?.scan) return Promise.resolve(undefined);
  const call: FormatCall = { trial, named, scanBlob, sniff, pickleBased: pickleBasedFormat };
  return format.scan(blob, ctx, call);
}
