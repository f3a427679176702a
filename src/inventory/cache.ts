// The scan cache: per-file scan results in a folder outside the repository (`--cache-dir`, the
// Action's `cache-dir`, kept between runs with actions/cache). An entry belongs to one scanner
// unit, the scanner code and data that produced it (the engine id) and the scanner settings; it
// holds the file's size, git's blob id when the file was committed and unchanged, and the proof of
// what the result depended on: the byte ranges the scanner read, in order, and their sha256. A file
// with the same blob id is a hit without being opened, and so is a file whose stamp (device, inode,
// size, modification and status-change times, as the walk saw them) is the one recorded, as git
// trusts its index; any other file is a hit when the same ranges hash the same (the scanner would
// make the same reads and reach the same result). A stamp is recorded only for a file last changed
// well before the walk that read it, so a change made while it was read is never hidden. Everything
// read back is checked for shape first: a corrupt, truncated or foreign entry is a miss, never trusted.
import { createHash, type Hash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../util/package-root.js";
import { VERSION } from "../version.js";
import { OPEN_FLAGS } from "./context.js";
import type { FileStamp } from "./walk.js";

/** Format of the cache files; a file of another format is ignored. */
const FORMAT = "aigate-scan-cache/1";
/** Most read ranges one proof holds (a result that needed more is not cached). */
export const MAX_PROOF_READS = 4096;
/** Largest serialised outcome kept (bytes of JSON). */
const MAX_OUTCOME_JSON = 1 << 20;
/** Largest cache file read back. */
const MAX_CACHE_FILE = 512 << 20;
const HEX = /^[0-9a-f]+$/;
/**
 * A stamp is recorded only when the file last changed this long before the walk: a later change
 * then always gets a later status-change time, even on a file system with coarse timestamps.
 */
export const RACY_MS = 2000;
const STAMP = /^\d+:\d+:\d+:[\d.e+]+:[\d.e+]+$/;

/** The stamp to record for a file, or undefined when it changed too close to the walk to be trusted. */
export function trustedStamp(stamp: FileStamp | undefined): string | undefined {
  return stamp && stamp.changedMs < stamp.walkedMs - RACY_MS ? stamp.key : undefined;
}

/** What a scanner's result for one file depended on. */
export interface Proof {
  /** [position, length] of each read, in the order made. */
  reads: [number, number][];
  /** sha256 over (position, length, bytes) of each read. */
  digest: string;
}

export interface CacheEntry {
  size: number;
  oid?: string;
  /** The file's stamp when it was read (see trustedStamp). */
  stamp?: string;
  proof?: Proof;
  /** For a scanner cached as a whole: the file list it saw and what it read of each file. */
  inputs?: WholeInputs;
  outcome: unknown;
}

export interface WholeInputs {
  /** Hash of every path and size of the walk (scanners choose files by name and size). */
  list: string;
  files: Record<string, { size: number; oid?: string; stamp?: string; proof?: Proof }>;
}

/** A file as the cache sees it now: its size, blob id and stamp from the walk. */
export interface FileNow {
  size: number;
  oid?: string;
  stamp?: FileStamp;
}

/** Records reads into a proof while a scanner runs. */
export class ProofRecorder {
  private readonly hash: Hash = createHash("sha256");
  readonly reads: [number, number][] = [];
  overflow = false;

  see(position: number, data: Buffer): void {
    if (this.reads.length >= MAX_PROOF_READS) {
      this.overflow = true;
      return;
    }
    this.reads.push([position, data.length]);
    const head = Buffer.allocUnsafe(16);
    head.writeDoubleLE(position, 0);
    head.writeDoubleLE(data.length, 8);
    this.hash.update(head).update(data);
  }

  proof(): Proof | undefined {
    return this.overflow ? undefined : { reads: this.reads, digest: this.hash.digest("hex") };
  }
}

/** Replays a proof's reads on the file as it is now: true when every range holds the same bytes. */
export function proofHolds(abs: string, proof: Proof): boolean {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch {
    return false;
  }
  try {
    const r = new ProofRecorder();
    for (const [pos, len] of proof.reads) {
      const buf = Buffer.allocUnsafe(len);
      let n = 0;
      while (n < len) {
        const got = readSync(fd, buf, n, len - n, pos + n);
        if (got <= 0) break;
        n += got;
      }
      if (n !== len) return false;
      r.see(pos, buf);
    }
    return r.proof()?.digest === proof.digest;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function validProof(p: unknown): p is Proof {
  if (!p || typeof p !== "object") return false;
  const { reads, digest } = p as Proof;
  return (
    typeof digest === "string" &&
    digest.length === 64 &&
    HEX.test(digest) &&
    Array.isArray(reads) &&
    reads.length <= MAX_PROOF_READS &&
    reads.every((r) => Array.isArray(r) && r.length === 2 && isInt(r[0]) && isInt(r[1]) && r[1] <= 1 << 30)
  );
}

const validOid = (oid: unknown) => oid === undefined || (typeof oid === "string" && (oid.length === 40 || oid.length === 64) && HEX.test(oid));
const validStamp = (stamp: unknown) => stamp === undefined || (typeof stamp === "string" && stamp.length <= 200 && STAMP.test(stamp));

function validInputs(i: unknown): i is WholeInputs {
  if (!i || typeof i !== "object") return false;
  const { list, files } = i as WholeInputs;
  if (typeof list !== "string" || !files || typeof files !== "object" || Array.isArray(files)) return false;
  return Object.values(files).every(
    (f) =>
      f &&
      typeof f === "object" &&
      isInt(f.size) &&
      validOid(f.oid) &&
      validStamp(f.stamp) &&
      (f.proof === undefined || validProof(f.proof)) &&
      (f.oid !== undefined || f.proof !== undefined),
  );
}

function validEntry(e: unknown): e is CacheEntry {
  if (!e || typeof e !== "object") return false;
  const { size, oid, stamp, proof, inputs } = e as CacheEntry;
  if (!isInt(size) || !validOid(oid) || !validStamp(stamp)) return false;
  if (proof !== undefined && !validProof(proof)) return false;
  if (inputs !== undefined && !validInputs(inputs)) return false;
  return oid !== undefined || proof !== undefined || inputs !== undefined;
}

/** A folder is refused when it is the scanned root or inside it: the cache lives outside the repository. */
export function cacheDirProblem(dir: string, root: string): string | undefined {
  const real = (p: string) => {
    // The nearest existing ancestor's real path, plus the rest (the folder may not exist yet).
    let cur = resolve(p);
    const rest: string[] = [];
    while (!existsSync(cur)) {
      rest.unshift(cur.slice(dirname(cur).length + 1));
      const up = dirname(cur);
      if (up === cur) break;
      cur = up;
    }
    return join(realpathSync(cur), ...rest);
  };
  const rel = relative(real(root), real(dir));
  if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel)))
    return `the cache folder ${dir} is inside the scanned folder: it must live outside the repository`;
  return undefined;
}

let engine: string | undefined;

/**
 * Identifies the scanner code and data: aigate's version, the running bundle (or, from the sources,
 * the inventory and util code) and the scanners' data files in policies/. A change to any of them
 * starts a fresh cache.
 */
export function engineId(): string {
  if (engine) return engine;
  const h = createHash("sha256").update(VERSION);
  const add = (dir: string, keep: (name: string) => boolean, depth = 0) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (depth < 4 && name !== "node_modules") add(p, keep, depth + 1);
      } else if (keep(name)) h.update(`${p}\u0000`).update(readFileSync(p));
    }
  };
  const here = fileURLToPath(import.meta.url);
  const pkg = packageRoot();
  if (here.endsWith(".ts")) {
    add(join(pkg, "src", "inventory"), (n) => n.endsWith(".ts"));
    add(join(pkg, "src", "util"), (n) => n.endsWith(".ts"));
  } else add(dirname(here), (n) => n.endsWith(".js"), 4);
  add(join(pkg, "policies"), (n) => !n.endsWith(".yaml") && !n.endsWith(".yml"));
  engine = h.digest("hex").slice(0, 16);
  return engine;
}

/** sha256 of a value's JSON with sorted keys. */
export function stableHash(v: unknown): string {
  const norm = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(norm)
      : x && typeof x === "object"
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, norm((x as Record<string, unknown>)[k])]),
          )
        : x;
  return createHash("sha256")
    .update(JSON.stringify(norm(v)) ?? "null")
    .digest("hex")
    .slice(0, 16);
}

/** A cache file's content when it is of this format and namespace; undefined otherwise. */
function readCacheFile(file: string, id: { unit: string; engine: string; settings: string }): Record<string, unknown> | undefined {
  let raw: unknown;
  try {
    if (statSync(file).size > MAX_CACHE_FILE) return undefined;
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined; // absent or unreadable: an empty cache
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (r.format !== FORMAT || r.unit !== id.unit || r.engine !== id.engine || r.settings !== id.settings) return undefined;
  return r;
}

/** One namespace: one scanner unit at one engine id and settings hash. */
export class CacheSpace {
  private readonly old = new Map<string, CacheEntry>();
  private readonly now = new Map<string, CacheEntry>();
  /** Whether `now` differs from what the file holds (else saving rewrites the same bytes: skipped). */
  private dirty = false;
  hits = 0;
  misses = 0;
  /** Files read again to replay a proof (a hit by blob id or stamp reads nothing). */
  verified = 0;

  /** The entries are read on first use: a run that needs none of them (see ScanCache.summary) reads nothing. */
  private loaded = false;

  constructor(
    private readonly file: string,
    private readonly id: { unit: string; engine: string; settings: string },
    private readonly validOutcome: (outcome: unknown, path: string) => boolean,
  ) {}

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    const r = readCacheFile(this.file, this.id) as { entries?: unknown } | undefined;
    if (!r?.entries || typeof r.entries !== "object" || Array.isArray(r.entries)) return;
    for (const [path, e] of Object.entries(r.entries as Record<string, unknown>)) {
      if (validEntry(e)) this.old.set(path, e);
      else this.dirty = true;
    }
  }

  /** Whether a recorded file (size, blob id, stamp, proof) still holds the same bytes. */
  private holds(root: string, path: string, was: { size: number; oid?: string; stamp?: string; proof?: Proof }, now: FileNow): boolean {
    if (was.size !== now.size) return false;
    if (now.oid !== undefined && was.oid === now.oid) return true;
    if (was.stamp !== undefined && was.stamp === now.stamp?.key) return true;
    if (!was.proof) return false;
    this.verified++;
    return proofHolds(join(root, path), was.proof);
  }

  /** The record of a file to keep: its blob id and (when it can be trusted) stamp as they are now. */
  private static refreshed<T extends { oid?: string; stamp?: string }>(was: T, now: FileNow): T {
    const stamp = trustedStamp(now.stamp);
    if ((now.oid === undefined || was.oid === now.oid) && (stamp === undefined || was.stamp === stamp)) return was;
    return { ...was, ...(now.oid !== undefined ? { oid: now.oid } : {}), ...(stamp !== undefined ? { stamp } : {}) };
  }

  /** The cached outcome of `path` when it still holds for the file as it is now, else undefined. */
  get(root: string, path: string, file: FileNow): { outcome: unknown } | undefined {
    this.load();
    const e = this.old.get(path);
    if (!e || !this.holds(root, path, e, file) || !this.validOutcome(e.outcome, path)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Kept for the next run, with the blob id and stamp it has now.
    const kept = CacheSpace.refreshed(e, file);
    if (kept !== e) this.dirty = true;
    this.now.set(path, kept);
    return { outcome: e.outcome };
  }

  /**
   * A whole scanner's cached result (stored under `key`) when the walk lists the same paths and
   * sizes and every file it read still holds the same bytes.
   */
  getWhole(root: string, key: string, list: string, fileNow: (path: string) => FileNow | undefined): { outcome: unknown } | undefined {
    this.load();
    const e = this.old.get(key);
    const inputs = e?.inputs;
    const holds =
      inputs !== undefined &&
      inputs.list === list &&
      Object.entries(inputs.files).every(([path, f]) => {
        const now = fileNow(path);
        return now !== undefined && this.holds(root, path, f, now);
      });
    if (!holds || !this.validOutcome(e!.outcome, key)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    let changed = false;
    // No prototype: a path is a key, and a file named __proto__ must be one like any other.
    const kept: WholeInputs = { list: inputs.list, files: Object.create(null) as WholeInputs["files"] };
    for (const [path, f] of Object.entries(inputs.files)) {
      const k = CacheSpace.refreshed(f, fileNow(path)!);
      if (k !== f) changed = true;
      kept.files[path] = k;
    }
    if (changed) this.dirty = true;
    this.now.set(key, changed ? { ...e!, inputs: kept } : e!);
    return { outcome: e!.outcome };
  }

  set(path: string, entry: CacheEntry): void {
    this.load();
    if (JSON.stringify(entry.outcome ?? null).length > MAX_OUTCOME_JSON) return;
    this.now.set(path, entry);
    this.dirty = true;
  }

  /**
   * Writes the entries this run used or made (old ones not seen again are dropped), atomically; a
   * run that used every entry as it was writes nothing.
   */
  save(): void {
    if (!this.loaded || (!this.dirty && this.now.size === this.old.size && existsSync(this.file))) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    // Written entry by entry, a megabyte at a time: the whole file as one string (tens of megabytes
    // for a large repository, and as much again while it is built) was most of a cold run's peak memory.
    const fd = openSync(tmp, "w");
    try {
      let chunk = `${JSON.stringify({ format: FORMAT, ...this.id }).slice(0, -1)},"entries":{`;
      let first = true;
      for (const k of [...this.now.keys()].sort()) {
        chunk += `${first ? "" : ","}${JSON.stringify(k)}:${JSON.stringify(this.now.get(k))}`;
        first = false;
        if (chunk.length >= 1 << 20) {
          writeFileSync(fd, chunk);
          chunk = "";
        }
      }
      writeFileSync(fd, `${chunk}}}`);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}

/**
 * The merged result of a per-file unit, kept with the key of the files it came from: every file's
 * path, size, blob id or trusted stamp, and whether its digest was wanted. A run whose files have
 * the same key takes the result without reading the per-file entries or any file; a file without a
 * blob id or a trusted stamp makes no key, and the per-file entries decide.
 */
export class SummarySpace {
  private next: { key: string; result: unknown } | undefined;
  hit = false;

  constructor(
    private readonly file: string,
    private readonly id: { unit: string; engine: string; settings: string },
    private readonly validResult: (result: unknown) => boolean,
  ) {}

  get(key: string): { result: unknown } | undefined {
    const r = readCacheFile(this.file, this.id);
    if (!r || r.key !== key || !this.validResult(r.result)) return undefined;
    this.hit = true;
    return { result: r.result };
  }

  set(key: string, result: unknown): void {
    this.next = { key, result };
  }

  save(): void {
    if (!this.next || this.hit) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, ...this.id, ...this.next }));
    renameSync(tmp, this.file);
  }
}

/** Cache files: `<unit>-<engine>-<settings>.json`, and `-summary.json` beside each per-file unit's. */
const CACHE_FILE = /^[a-z][a-z0-9-]*-([0-9a-f]{16})-[0-9a-f]{16}(?:-summary)?\.json$/;

/** The cache folder of a run. */
export class ScanCache {
  private readonly spaces: CacheSpace[] = [];
  private readonly summaries: SummarySpace[] = [];
  /** Files whose outcome came with a unit's summary. */
  summaryHits = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  space(unit: string, settings: unknown, validOutcome: (outcome: unknown, path: string) => boolean): CacheSpace {
    const id = { unit, engine: engineId(), settings: stableHash(settings) };
    const s = new CacheSpace(join(this.dir, `${unit}-${id.engine}-${id.settings}.json`), id, validOutcome);
    this.spaces.push(s);
    return s;
  }

  summary(unit: string, settings: unknown, validResult: (result: unknown) => boolean): SummarySpace {
    const id = { unit, engine: engineId(), settings: stableHash(settings) };
    const s = new SummarySpace(join(this.dir, `${unit}-${id.engine}-${id.settings}-summary.json`), id, validResult);
    this.summaries.push(s);
    return s;
  }

  get hits(): number {
    return this.spaces.reduce((a, s) => a + s.hits, 0);
  }

  get misses(): number {
    return this.spaces.reduce((a, s) => a + s.misses, 0);
  }

  /** Files read again to prove a cached result (those neither a blob id nor a stamp proved). */
  get verified(): number {
    return this.spaces.reduce((a, s) => a + s.verified, 0);
  }

  /** Saves every space; a cache that cannot be written only costs the next run its hits. */
  save(): string | undefined {
    try {
      for (const s of this.spaces) s.save();
      for (const s of this.summaries) s.save();
      // Files another engine (an older aigate) wrote are never read again.
      const current = engineId();
      for (const name of readdirSync(this.dir)) {
        const m = CACHE_FILE.exec(name);
        if (m && m[1] !== current) rmSync(join(this.dir, name), { force: true });
      }
      return undefined;
    } catch (e) {
      return `the scan cache could not be written (${(e as Error).message})`;
    }
  }
}
