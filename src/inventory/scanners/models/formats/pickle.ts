// Raw pickles (protocols 0-5, under any name), joblib dumps and legacy torch files: every pickle
// stacked in the stream is walked, and bytes after the last STOP are examined, because some
// loaders read more than the first pickle (legacy torch reads five) and a tail may hide another.
import { accessBlob, type Blob, type BlobContext } from "../blob.js";
import type { FormatCall, ModelFormat } from "../format.js";
import { PICKLE_OPCODES } from "../pickle/opcodes.js";
import { FileRangeReader, StreamReader, windowAccess, type ByteReader } from "../reader.js";
import { walkPickle, type WalkOptions } from "../pickle/walker.js";
import { addPickle, merge, newResult, type FileResult } from "../result.js";

/** A pickle with a PROTO header (protocols 2-5, and 0/1 pickles a writer gave one). */
export const pickleFormat: ModelFormat = {
  id: "pickle",
  description:
    "Python pickle (also joblib dumps): every import it makes is classified against the allowlist and denylist, stacked pickles and trailing data included",
  sniff: (h) => h[0] === 0x80 && h[1] !== undefined && h[1] <= 5,
  scan: (blob, ctx, call) => scanPickleBlob(blob, ctx, call, false),
  extensions: { pkl: "pickle", pickle: "pickle", dill: "pickle" },
  namedAs: "pickle",
  results: { pickle: { pickleBased: true, manifest: "pickle" }, joblib: { pickleBased: true, manifest: "joblib" } },
};

/** A legacy (pre-1.6) torch.save file: five pickles in a row, then raw storage data. */
export const pytorchLegacyFormat: ModelFormat = {
  id: "pytorch-legacy",
  description: "legacy torch.save file (before PyTorch 1.6): its five pickles walked like any pickle",
  sniff: (h) => LEGACY_TORCH.every((b, i) => h[i] === b),
  scan: (blob, ctx, call) => scanPickleBlob(blob, ctx, call, true),
  extensions: { pt: "pytorch", pth: "pytorch", ckpt: "pytorch", bin: "pytorch" },
  namedAs: "pickle",
  results: { "pytorch-legacy": { pickleBased: true, manifest: "pytorch" } },
};

/**
 * A stream that starts with an opcode byte but has no pickle magic: a pickle without a PROTO
 * header, or text that happens to start with one. Detection confirms it with a trial walk
 * (`confirmPickle`) before it is walked as a pickle.
 */
export const pickleTextFormat: ModelFormat = {
  id: "pickle-text",
  description:
    "pickle without a PROTO header (protocol 0/1, or PROTO removed): taken for a pickle when a trial walk from byte 0 imports Python names or reaches STOP",
  sniff: (h) => h.length > 0 && PICKLE_OPCODES.has(h[0]!),
  confirm: (blob) => confirmPickle(blob),
  scan: (blob, ctx, call) => scanPickleBlob(blob, ctx, { ...call, trial: false }, false),
};

const LEGACY_TORCH = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/** Walks a blob as a pickle stream; a pickle with a ZIP appended has the archive scanned too. */
export async function scanPickleBlob(blob: Blob, ctx: BlobContext, call: FormatCall, legacy: boolean): Promise<FileResult | undefined> {
  const res = await scanPickleStream(await blob.open(), ctx.walk, legacy ? "pytorch-legacy" : "pickle", { legacy });
  if (call.trial && !looksWalked(res)) return undefined;
  if (typeof res.details["trailingZipAt"] === "number" && blob.ra && ctx.depth < ctx.limits.maxDepth) {
    // A pickle with a ZIP appended: zip readers see the archive, so scan it too.
    const at = res.details["trailingZipAt"];
    const inner = await call.scanBlob(accessBlob(windowAccess(blob.ra, at, blob.size - at)), { ...ctx, depth: ctx.depth + 1 });
    if (inner) merge(res, inner, `zip@${at}`);
  }
  return res;
}

/** A trial parse counts as a pickle when it reached STOP or imported something. */
function looksWalked(res: FileResult): boolean {
  return res.globals.length > 0 || (res.details["pickles"] as number) > 1 || !res.findings.some((f) => f.code === "broken-stream" || f.code === "cap");
}

/** Opcodes a trial walk runs before it takes a stream that has not failed for a pickle. */
const TRIAL_OPCODES = 4096;
/** First read of a trial walk: the head already in memory, so most files cost no further read. */
const TRIAL_WINDOW = 1024;

/**
 * Whether a stream without pickle magic walks as a pickle from byte 0: it reaches STOP, imports a
 * plausible module before it fails, or runs many opcodes without failing, and every name it
 * imports is a Python identifier path. Text and binary files that merely start with an opcode byte
 * fail within their first bytes or import names no module can have.
 */
export async function confirmPickle(blob: Blob): Promise<boolean> {
  const r = blob.ra ? new FileRangeReader(blob.ra, 0, blob.size, TRIAL_WINDOW) : await blob.open();
  try {
    const p = await walkPickle(r, { lists: TRIAL_LISTS, sweep: false, joblib: false, maxOpcodes: TRIAL_OPCODES });
    // Text that happens to start with GLOBAL and reach a STOP byte (a Python file starting
    // `css = """` whose next lines hold `.chat {`) imports names Python cannot import: not a pickle.
    if (p.globals.some((g) => !IDENTIFIER.test(g.module) || !IDENTIFIER.test(g.name))) return false;
    if (p.stopped) return true;
    const failed = p.issues.find((i) => i.verdict === "error");
    if (!failed) return true;
    if (failed.code === "cap" && p.opcodes >= TRIAL_OPCODES) return true;
    return p.globals.some((g) => g.offset < failed.offset && IDENTIFIER.test(g.module) && IDENTIFIER.test(g.name));
  } finally {
    if (r instanceof StreamReader) r.close();
  }
}

const IDENTIFIER = /^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*$/;
/** The trial only needs to know that something is imported, not whether it is allowed. */
const TRIAL_LISTS = {
  classify: (module: string, name: string) => ({ resolved: `${module}.${name}`, verdict: "suspicious" as const, reason: "trial" }),
  callProblem: () => undefined,
} as unknown as WalkOptions["lists"];

/** Pickles a legacy torch file holds (magic number, protocol, sys info, object, storage keys). */
const LEGACY_PICKLES = 5;
const MAX_STACKED = 64;

export async function scanPickleStream(
  r: ByteReader,
  walk: WalkOptions,
  format: string,
  opts: { legacy?: boolean; member?: string; maxPickles?: number } = {},
): Promise<FileResult> {
  const res = newResult(format, true);
  let count = 0;
  for (;;) {
    const start = r.pos;
    const p = await walkPickle(r, walk);
    count++;
    if (count === 1 || p.stopped) addPickle(res, p, opts.member);
    if (p.globals.some((g) => g.module === "joblib.numpy_pickle")) res.format = format === "pickle" ? "joblib" : res.format;
    if (!p.stopped) {
      if (count > 1) {
        // A tail after a complete pickle that does not walk: CPython's pickle.load ignores it, but
        // other readers (and a later format) may not. Report what its sweep found.
        addPickle(res, { ...p, issues: [] }, opts.member);
        res.findings.push({
          verdict: "suspicious",
          code: "trailing-data",
          message: `${describeTail(r.pos - start)} after the last complete pickle (byte ${start}) is not a pickle`,
          offset: start,
          ...(opts.member ? { member: opts.member } : {}),
        });
      }
      break;
    }
    if (opts.legacy && count === LEGACY_PICKLES) break; // the raw storage data follows
    if (opts.maxPickles && count >= opts.maxPickles) break; // a format tail follows (legacy torch tar members)
    if (await r.atEnd()) break;
    if (count >= MAX_STACKED) {
      res.findings.push({ verdict: "suspicious", code: "trailing-data", message: `more than ${MAX_STACKED} stacked pickles`, offset: r.pos });
      break;
    }
    const next = await r.peek(4);
    if (next[0] === 0x50 && next[1] === 0x4b) {
      res.findings.push({
        verdict: "suspicious",
        code: "trailing-zip",
        message: `a ZIP archive follows the pickle at byte ${r.pos} (polyglot file: pickle loaders run the pickle, zip readers see the archive)`,
        offset: r.pos,
        ...(opts.member ? { member: opts.member } : {}),
      });
      res.details["trailingZipAt"] = r.pos;
      break;
    }
    if (count === 1 && !opts.legacy)
      res.findings.push({
        verdict: "suspicious",
        code: "stacked-pickle",
        message: `another pickle follows the first one's STOP at byte ${r.pos}`,
        offset: r.pos,
        ...(opts.member ? { member: opts.member } : {}),
      });
  }
  res.details["pickles"] = count;
  if (opts.legacy && count < LEGACY_PICKLES)
    res.findings.push({ verdict: "error", code: "legacy-torch-short", message: `legacy torch file holds ${count} of its ${LEGACY_PICKLES} pickles` });
  return res;
}

function describeTail(n: number): string {
  return `${n} byte(s)`;
}
