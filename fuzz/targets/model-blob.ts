// The model scanner's single-blob entry (scanBlob): content sniffing, then every format parser,
// containers recursing (zip, tar, gzip/zlib/bz2/xz, joblib) within the depth and inflate caps. The
// first byte picks the name hint (none, "named as a pickle", "named as a model"); scanModelFile
// treats an exception from scanBlob as a defect, so any exception here is a bug.
import { accessBlob, scanBlob, type NamedAs } from "../../src/inventory/scanners/models/scan-blob.js";
import { selector, type TargetMeta } from "../lib/harness.js";
import { access, blobContext, checkResult } from "../lib/models.js";

export const meta: TargetMeta = {
  description: "model scanner's blob entry: sniffing and every format (scanBlob)",
  dict: "models",
  seedGlobs: ["__tests__/inventory/scanners/models/fixtures/**/*", "__tests__/inventory/scanners/data/fixtures/faiss/**/*"],
};

const HINTS: (NamedAs | undefined)[] = [undefined, "pickle", "model"];

export async function fuzz(data: Buffer): Promise<void> {
  const { pick, rest } = selector(data, HINTS.length);
  const named = HINTS[pick];
  const res = await scanBlob(accessBlob(access(rest)), blobContext(), named ? { named } : undefined);
  checkResult(res, "scanBlob");
}
