// Raw pickles (protocols 0-5, under any name), joblib dumps and legacy torch files: every pickle
// stacked in the stream is walked, and bytes after the last STOP are examined, because some
// loaders read more than the first pickle (legacy torch reads five) and a tail may hide another.
import type { ByteReader } from "../reader.js";
import { walkPickle, type WalkOptions } from "../pickle/walker.js";
import { addPickle, newResult, type FileResult } from "../result.js";

/** Pickles a legacy torch file holds (magic number, protocol, sys info, object, storage keys). */
const LEGACY_PICKLES = 5;
const MAX_STACKED = 64;

export async function scanPickleStream(r: ByteReader, walk: WalkOptions, format: string, opts: { legacy?: boolean; member?: string; maxPickles?: number } = {}): Promise<FileResult> {
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
        res.findings.push({ verdict: "suspicious", code: "trailing-data", message: `${describeTail(r.pos - start)} after the last complete pickle (byte ${start}) is not a pickle`, offset: start, ...(opts.member ? { member: opts.member } : {}) });
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
      res.findings.push({ verdict: "suspicious", code: "trailing-zip", message: `a ZIP archive follows the pickle at byte ${r.pos} (polyglot file: pickle loaders run the pickle, zip readers see the archive)`, offset: r.pos, ...(opts.member ? { member: opts.member } : {}) });
      res.details["trailingZipAt"] = r.pos;
      break;
    }
    if (count === 1 && !opts.legacy) res.findings.push({ verdict: "suspicious", code: "stacked-pickle", message: `another pickle follows the first one's STOP at byte ${r.pos}`, offset: r.pos, ...(opts.member ? { member: opts.member } : {}) });
  }
  res.details["pickles"] = count;
  if (opts.legacy && count < LEGACY_PICKLES) res.findings.push({ verdict: "error", code: "legacy-torch-short", message: `legacy torch file holds ${count} of its ${LEGACY_PICKLES} pickles` });
  return res;
}

function describeTail(n: number): string {
  return `${n} byte(s)`;
}
