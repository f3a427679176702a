// NumPy .npy: a magic string, a version, a header length and a Python dict literal with exactly
// `descr`, `fortran_order` and `shape`. An object dtype (`O` anywhere in descr) means the payload is
// a pickle, which numpy.load(allow_pickle=True) unpickles; otherwise only the header is read.
import type { ModelFormat } from "../format.js";
import { TruncatedError, type ByteReader } from "../reader.js";
import type { WalkOptions } from "../pickle/walker.js";
import { newResult, type FileResult } from "../result.js";
import { scanPickleStream } from "./pickle.js";
import { stripTrailing } from "../../../../util/strip.js";

export const npyFormat: ModelFormat = {
  id: "npy",
  description: "NumPy .npy array: the header is checked; an object dtype holds a pickle, which is walked",
  sniff: (h) => MAGIC.every((b, i) => h[i] === b),
  scan: async (blob, ctx) => scanNpy(await blob.open(), ctx.walk, blob.size),
  extensions: { npy: "numpy" },
  namedAs: "model",
  results: { "numpy-npy": { manifest: "numpy" }, "numpy-object": { pickleBased: true, manifest: "numpy" } },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
/** NumPy >= 1.24 refuses headers longer than this. */
const MAX_HEADER = 10_000;

export async function scanNpy(r: ByteReader, walk: WalkOptions, size: number | undefined, member?: string): Promise<FileResult> {
  const res = newResult("numpy-npy");
  try {
    return await readNpy(r, walk, size, res, member);
  } catch (e) {
    // A file that ends inside its magic or header is a bad header, located where it ends.
    if (e instanceof TruncatedError) return fail(res, e.message);
    throw e;
  }
}

async function readNpy(r: ByteReader, walk: WalkOptions, size: number | undefined, res: FileResult, member?: string): Promise<FileResult> {
  const magic = await r.take(8, "npy magic");
  const major = magic[6]!;
  const lenBytes = major === 1 ? 2 : major === 2 || major === 3 ? 4 : 0;
  if (!lenBytes) return fail(res, `unsupported .npy version ${major}.${magic[7]}`);
  const lb = await r.take(lenBytes, "npy header length");
  const hlen = lenBytes === 2 ? lb.readUInt16LE(0) : lb.readUInt32LE(0);
  if (hlen > MAX_HEADER) return fail(res, `header of ${hlen} bytes exceeds NumPy's limit of ${MAX_HEADER}`);
  const header = (await r.take(hlen, "npy header")).toString(major === 3 ? "utf8" : "latin1");
  const descr = /['"]descr['"]\s*:\s*(['"])(.*?)\1/.exec(header)?.[2] ?? (/['"]descr['"]\s*:\s*\[/.test(header) ? "[structured]" : undefined);
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!/['"]fortran_order['"]\s*:\s*(True|False)/.test(header) || descr === undefined || shapeText === undefined)
    return fail(res, "header is not a dict with descr, fortran_order and shape");
  res.details["descr"] = descr;
  const objectDtype = descr === "[structured]" ? /['"]\|?O\d*['"]/.test(header) : /O/.test(descr);
  if (objectDtype) {
    // numpy writes the array with pickle.dump right after the header.
    const p = await scanPickleStream(r, walk, "numpy-object", { member });
    p.details["descr"] = descr;
    p.findings.push({
      verdict: "suspicious",
      code: "npy-object",
      message: "object dtype: the array is a pickle, loaded only with allow_pickle=True",
      offset: 0,
      ...(member ? { member } : {}),
    });
    return p;
  }
  const dims = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!dims.every((d) => /^\d+L?$/.test(d))) return fail(res, `shape (${shapeText}) is not a tuple of integers`);
  // The digits that end the type (`<f8`: 8), found from the end (/(\d+)$/ rescanned each run of digits).
  const kind = stripTrailing(descr, "0123456789");
  const itemsize = kind.length < descr.length ? descr.slice(kind.length) : undefined;
  if (size !== undefined && itemsize && descr !== "[structured]") {
    const count = dims.reduce((a, d) => a * BigInt(d.replace("L", "")), 1n);
    const expected = BigInt(r.pos) + count * BigInt(itemsize) * (/U/.test(descr) ? 4n : 1n);
    if (expected !== BigInt(size))
      res.findings.push({
        verdict: "suspicious",
        code: "npy-size",
        message: `file holds ${size} bytes but the header describes ${expected}`,
        ...(member ? { member } : {}),
      });
  }
  return res;
}

function fail(res: FileResult, message: string): FileResult {
  res.findings.push({ verdict: "error", code: "bad-header", message, offset: 0 });
  return res;
}
