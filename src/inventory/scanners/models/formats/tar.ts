// Tar archives, read header by header (data is skipped): the legacy torch tar format (members
// sys_info, pickle, storages, tensors: each starts with a pickle) and tars that carry a model file.
import { windowAccess, type RandomAccess } from "../reader.js";
import { merge, newResult, type FileResult } from "../result.js";
import { accessBlob, nestedTooDeep, randomAccess, tooBig, type BlobContext, type ScanBlob } from "../blob.js";
import type { ModelFormat } from "../format.js";
import { scanPickleStream } from "./pickle.js";

export const tarFormat: ModelFormat = {
  id: "tar",
  description: "tar archive: the legacy PyTorch tar format (its pickles walked) and tars that carry model files, member by member",
  sniff: (h) => h.length >= 262 && h.subarray(257, 262).toString("latin1") === "ustar",
  scan: async (blob, ctx, call) => {
    if (ctx.depth >= ctx.limits.maxDepth) return nestedTooDeep("tar");
    const ra = await randomAccess(blob, ctx);
    if (!ra) return tooBig("tar", blob);
    return scanTar(ra, { ...ctx, depth: ctx.depth + 1 }, call.scanBlob);
  },
  results: { "pytorch-legacy-tar": { pickleBased: true, manifest: "pytorch" }, tar: {} },
};

const LEGACY = new Set(["sys_info", "pickle", "storages", "tensors"]);
const MAX_MEMBERS = 100_000;

/** Scans a tar archive's members, each through `scan` (detection by content, then its format). */
export async function scanTar(ra: RandomAccess, ctx: BlobContext, scan: ScanBlob): Promise<FileResult | undefined> {
  const members: { name: string; start: number; size: number }[] = [];
  for (let pos = 0; pos + 512 <= ra.size && members.length < MAX_MEMBERS;) {
    const h = await ra.read(pos, 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, b: number) => {
      const field = h.subarray(a, b).toString("latin1");
      const nul = field.indexOf("\0");
      return nul < 0 ? field : field.slice(0, nul);
    };
    const size = parseInt(str(124, 136).trim() || "0", 8);
    if (!Number.isFinite(size) || size < 0) break;
    const prefix = str(345, 500);
    const name = (prefix ? `${prefix}/` : "") + str(0, 100);
    const type = String.fromCharCode(h[156]!);
    if (type === "0" || type === "\0") members.push({ name, start: pos + 512, size });
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  const legacy = members.some((m) => m.name === "pickle") && members.some((m) => m.name === "storages");
  const res = newResult(legacy ? "pytorch-legacy-tar" : "tar", legacy);
  let found = 0;
  for (const m of members) {
    const ra2 = windowAccess(ra, m.start, m.size);
    try {
      if (legacy && LEGACY.has(m.name)) {
        // storages and tensors hold raw data after their leading pickles: walk the first one only.
        const p = await scanPickleStream(await accessBlob(ra2).open(), ctx.walk, "pickle", {
          maxPickles: m.name === "pickle" || m.name === "sys_info" ? undefined : 1,
        });
        merge(res, p, m.name);
        found++;
        continue;
      }
      const inner = await scan(accessBlob(ra2, m.name), ctx, { trial: true });
      if (inner) {
        merge(res, inner, m.name);
        found++;
      }
    } catch (err) {
      res.findings.push({ verdict: "error", code: "bad-member", message: `${m.name}: ${err instanceof Error ? err.message : String(err)}`, member: m.name });
    }
  }
  if (!found && !legacy) return undefined;
  res.details["members"] = members.length;
  return res;
}
