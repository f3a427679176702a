// The compressed wrappers (gzip, zlib, bz2, xz) through scanBlob: the first byte picks a codec, the
// rest is compressed with it, so the decompressors and the sniffing behind them see valid streams
// whose content the fuzzer controls (raw, corrupt streams reach them through the model-blob target).
import { accessBlob, scanBlob } from "../../src/inventory/scanners/models/scan-blob.js";
import { CODECS, compress } from "../lib/encoders.js";
import { selector, type TargetMeta } from "../lib/harness.js";
import { access, blobContext, checkResult } from "../lib/models.js";

export const meta: TargetMeta = {
  description: "compressed wrappers gzip/zlib/bz2/xz around fuzzed content (scanBlob)",
  dict: "pickle",
  seedGlobs: ["__tests__/inventory/scanners/models/fixtures/**/*.{pkl,pickle,npy}"],
};

export async function fuzz(data: Buffer): Promise<void> {
  const { pick, rest } = selector(data, CODECS.length * 2);
  const codec = CODECS[pick % CODECS.length]!;
  // bz2 here sorts naively: keep its inputs small enough for the time limit.
  const body = codec === "bz2" ? rest.subarray(0, 8192) : rest;
  const named = pick >= CODECS.length ? ({ named: "pickle" } as const) : undefined;
  const res = await scanBlob(accessBlob(access(compress(codec, body))), blobContext(`models/model.pkl.${codec}`), named);
  checkResult(res, `scanBlob(${codec})`);
}
