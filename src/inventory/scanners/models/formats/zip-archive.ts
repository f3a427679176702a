// Zip containers: PyTorch checkpoints (any top folder; every pickle member, not just data.pkl),
// TorchScript archives, .npz, Keras v3 .keras, and zips nested in zips. Members are chosen by
// content (and by the pickle names torch uses), scanned one by one with errors isolated per member,
// and header inconsistencies are reported, never used as reasons to skip.
import { parseJsonQuietly } from "../../../../util/json-error.js";
import { crc32 } from "node:zlib";
import { openMember, readZipDirectory, ZipError, type ZipEntry } from "../zip.js";
import { windowAccess, type RandomAccess } from "../reader.js";
import { merge, newResult, type FileResult } from "../result.js";
import { accessBlob, nestedTooDeep, randomAccess, tooBig, type Blob, type BlobContext, type ScanBlob } from "../blob.js";
import type { ModelFormat } from "../format.js";
import { checkKerasConfig } from "./keras.js";

export const zipFormat: ModelFormat = {
  id: "zip",
  description:
    "zip container: PyTorch checkpoints (every pickle member), TorchScript, NumPy .npz, Keras .keras (its config.json) and zips in zips, member by member",
  sniff: (h) => h[0] === 0x50 && h[1] === 0x4b && ((h[2] === 0x03 && h[3] === 0x04) || (h[2] === 0x05 && h[3] === 0x06) || (h[2] === 0x07 && h[3] === 0x08)),
  scan: async (blob, ctx, call) => {
    if (ctx.depth >= ctx.limits.maxDepth) return nestedTooDeep("zip");
    const ra = await randomAccess(blob, ctx);
    if (!ra) return tooBig("zip", blob);
    return scanZip(ra, { ...ctx, depth: ctx.depth + 1 }, call.scanBlob);
  },
  extensions: { npz: "numpy", keras: "keras" },
  namedAs: "model",
  results: {
    "pytorch-zip": { pickleBased: true, manifest: "pytorch" },
    torchscript: { pickleBased: true, manifest: "pytorch" },
    keras: { manifest: "keras" },
    "numpy-npz": { manifest: "numpy" },
    zip: {},
  },
};

const PICKLE_NAME = /\.(pkl|pickle|debug_pkl)$/;
const MAX_CONFIG = 16 << 20;

/** Scans a zip archive's members, each through `scan` (detection by content, then its format). */
export async function scanZip(ra: RandomAccess, ctx: BlobContext, scan: ScanBlob): Promise<FileResult> {
  let dir;
  try {
    dir = await readZipDirectory(ra);
  } catch (e) {
    const res = newResult("zip");
    res.findings.push({ verdict: "error", code: "bad-zip", message: e instanceof ZipError ? e.message : String(e) });
    return res;
  }
  const names = dir.entries.map((e) => e.name);
  const has = (re: RegExp) => names.some((n) => re.test(n));
  const format = has(/(^|\/)constants\.pkl$/)
    ? "torchscript"
    : has(/(^|\/)data\.pkl$/) || (has(PICKLE_NAME) && has(/(^|\/)version$/))
      ? "pytorch-zip"
      : names.includes("config.json") && (names.includes("metadata.json") || has(/model\.weights\.(h5|npz)$/))
        ? "keras"
        : names.length > 0 && names.every((n) => n.endsWith(".npy"))
          ? "numpy-npz"
          : "zip";
  const res = newResult(format, format === "pytorch-zip" || format === "torchscript");
  for (const a of dir.anomalies) res.findings.push({ verdict: "suspicious", code: "zip-anomaly", message: a });
  if (format === "pytorch-zip" || format === "torchscript") {
    // PyTorch reads <top>/data.pkl where <top> is the folder of the first central-directory entry.
    const top = names[0]?.split("/")[0] ?? "";
    if (!names.includes(`${top}/data.pkl`) && format === "pytorch-zip")
      res.findings.push({
        verdict: "suspicious",
        code: "zip-anomaly",
        message: `the first entry's folder ${JSON.stringify(top)} holds no data.pkl (PyTorch would not load this file as a checkpoint)`,
      });
    res.details["topFolder"] = top;
  }
  if (format === "torchscript")
    res.findings.push({ verdict: "suspicious", code: "torchscript", message: "TorchScript archive: torch.jit.load runs its serialized code" });
  let modelMembers = 0;
  for (const e of dir.entries) {
    if (e.name.endsWith("/") && e.size === 0) continue;
    try {
      if (format === "keras" && e.name === "config.json") {
        const text = await readSmall(ra, e, ctx);
        checkKerasConfig(res, parseJsonQuietly(text.toString("utf8")), e.name);
        modelMembers++;
        continue;
      }
      const named = PICKLE_NAME.test(e.name);
      const member = await memberBlob(ra, e, ctx);
      if (member.anomalies.length)
        for (const a of member.anomalies) res.findings.push({ verdict: "suspicious", code: "zip-anomaly", message: a, member: e.name });
      const inner = await scan(member.blob, ctx, { trial: !named, forcePickle: named });
      if (!inner) continue;
      modelMembers++;
      merge(res, inner, e.name);
      if (inner.pickle && e.method === 0 && e.compressedSize <= 16 << 20 && member.blob.ra) {
        const data = await member.blob.ra.read(0, e.compressedSize);
        if (crc32(data) >>> 0 !== e.crc >>> 0)
          res.findings.push({
            verdict: "suspicious",
            code: "zip-anomaly",
            message: `${e.name}: CRC mismatch (PyTorch does not check CRCs and loads it; scanned anyway)`,
            member: e.name,
          });
      }
    } catch (err) {
      res.findings.push({ verdict: "error", code: "bad-member", message: `${e.name}: ${err instanceof Error ? err.message : String(err)}`, member: e.name });
    }
  }
  res.details["members"] = dir.entries.length;
  if (format === "zip" && modelMembers === 0 && !res.findings.some((f) => f.verdict === "error")) res.details["noModel"] = true;
  return res;
}

async function memberBlob(ra: RandomAccess, e: ZipEntry, ctx: BlobContext): Promise<{ blob: Blob; anomalies: string[] }> {
  const cap = Math.max(64 << 20, Math.min(ctx.limits.maxInflateBytes, e.compressedSize * 200));
  const first = await openMember(ra, e, Math.min(cap, ctx.limits.maxInflateBytes));
  first.close();
  if (e.method === 0) return { blob: accessBlob(windowAccess(ra, first.dataOffset, e.compressedSize), e.name), anomalies: first.anomalies };
  return {
    blob: { size: e.size, name: e.name, open: async () => (await openMember(ra, e, Math.min(cap, ctx.limits.maxInflateBytes))).reader },
    anomalies: first.anomalies,
  };
}

async function readSmall(ra: RandomAccess, e: ZipEntry, ctx: BlobContext): Promise<Buffer> {
  if (e.size > MAX_CONFIG) throw new Error(`config of ${e.size} bytes exceeds ${MAX_CONFIG}`);
  const m = await openMember(ra, e, Math.min(MAX_CONFIG, ctx.limits.maxInflateBytes));
  const chunks: Buffer[] = [];
  while (await m.reader.ensure(1)) chunks.push(Buffer.from(await m.reader.take(m.reader.available)));
  m.close();
  return Buffer.concat(chunks);
}
