// The model scanner's context for in-memory inputs: the real allow/deny lists, with the
// decompression and buffering caps lowered so that one input stays within the fuzzer's time
// limit (the defaults allow 4 GiB and 60 s per stream, which is a bound, not a hang).
import { ModelLists } from "../../src/inventory/scanners/models/lists.js";
import { bufferAccess, type RandomAccess } from "../../src/inventory/scanners/models/reader.js";
import { verdictOf, type FileResult } from "../../src/inventory/scanners/models/result.js";
import type { BlobContext } from "../../src/inventory/scanners/models/scan-blob.js";
import { invariant } from "./harness.js";

export const lists = new ModelLists();

export function blobContext(filePath = "models/model.bin"): BlobContext {
  return {
    walk: { lists },
    limits: { maxDepth: 3, maxInflateBytes: 8 << 20, maxBufferedMember: 8 << 20, maxDecompressSeconds: 2 },
    filePath,
    depth: 0,
  };
}

export const access = (data: Buffer): RandomAccess => bufferAccess(data);

const VERDICTS = new Set(["safe", "suspicious", "unsafe", "error"]);

/** A result is well formed: known verdicts, and a verdict can be computed. */
export function checkResult(res: FileResult | undefined, what: string): void {
  if (!res) return;
  for (const g of res.globals) invariant(VERDICTS.has(g.verdict), `${what}: global ${g.resolved} has verdict ${String(g.verdict)}`);
  for (const f of res.findings) {
    invariant(VERDICTS.has(f.verdict), `${what}: finding ${f.code} has verdict ${String(f.verdict)}`);
    invariant(typeof f.message === "string" && f.message.length > 0, `${what}: finding ${f.code} has no message`);
  }
  invariant(VERDICTS.has(verdictOf(res)), `${what}: no verdict`);
}
