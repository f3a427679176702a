// The scan cache: per-file scan results in a folder outside the repository (`--cache-dir`, the
// Action's `cache-dir`, kept between runs with actions/cache). An entry belongs to one scanner
// unit, the scanner code and data that produced it (the engine id) and the scanner settings; it
// holds the file's size, git's blob id when the file was committed and unchanged, and the proof of
// what the result depended on: the byte ranges the scanner read, in order, and their sha256. A file
// with the same blob id is a hit without being opened; any other file is a hit when the same ranges
// hash the same (the scanner would make the same reads and reach the same result). Everything read
// back is checked for shape first: a corrupt, truncated or foreign entry is a miss, never trusted.
import { createHash, type Hash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../util/package-root.js";
import { VERSION } from "../version.js";
import { OPEN_FLAGS } from "./context.js";

/** Format of the cache files; a file of another format is ignored. */
const FORMAT = "aigate-scan-cache/1";
/** Most read ranges one proof holds (a result that needed more is not cached). */
export const MAX_PROOF_READS = 4096;
/** Largest serialised outcome kept (bytes of JSON). */
const MAX_OUTCOME_JSON = 1 << 20;
/** Largest cache file read back. */
const MAX_CACHE_FILE = 512 << 20;
const HEX = /^[0-9a-f]+$/;

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
  proof?: Proof;
  /** For a scanner cached as a whole: the file list it saw and what it read of each file. */
  inputs?: WholeInputs;
  outcome: unknown;
}

export interface WholeInputs {
  /** Hash of every path and size of the walk (scanners choose files by name and size). */
  list: string;
  files: Record<string, { size: number; oid?: string; proof?: Proof }>;
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
  return typeof digest === "string" && digest.length === 64 && HEX.test(digest) && Array.isArray(reads) && reads.length <= MAX_PROOF_READS && reads.every((r) => Array.isArray(r) && r.length === 2 && isInt(r[0]) && isInt(r[1]) && r[1] <= 1 << 30);
}

const validOid = (oid: unknown) => oid === undefined || (typeof oid === "string" && (oid.length === 40 || oid.length === 64) && HEX.test(oid));

function validInputs(i: unknown): i is WholeInputs {
  if (!i || typeof i !== "object") return false;
  const { list, files } = i as WholeInputs;
  if (typeof list !== "string" || !files || typeof files !== "object" || Array.isArray(files)) return false;
  return Object.values(files).every((f) => f && typeof f === "object" && isInt(f.size) && validOid(f.oid) && (f.proof === undefined || validProof(f.proof)) && (f.oid !== undefined || f.proof !== undefined));
}

function validEntry(e: unknown): e is CacheEntry {
  if (!e || typeof e !== "object") return false;
  const { size, oid, proof, inputs } = e as CacheEntry;
  if (!isInt(size) || !validOid(oid)) return false;
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
  if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) return `the cache folder ${dir} is inside the scanned folder: it must live outside the repository`;
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
  const norm = (x: unknown): unknown => (Array.isArray(x) ? x.map(norm) : x && typeof x === "object" ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, norm((x as Record<string, unknown>)[k])])) : x);
  return createHash("sha256").update(JSON.stringify(norm(v)) ?? "null").digest("hex").slice(0, 16);
}

/** One namespace: one scanner unit at one engine id and settings hash. */
export class CacheSpace {
  private readonly old = new Map<string, CacheEntry>();
  private readonly now = new Map<string, CacheEntry>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly file: string,
    private readonly id: { unit: string; engine: string; settings: string },
    private readonly validOutcome: (outcome: unknown, path: string) => boolean,
  ) {
    let raw: unknown;
    try {
      if (statSync(file).size > MAX_CACHE_FILE) return;
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      return; // absent or unreadable: an empty cache
    }
    if (!raw || typeof raw !== "object") return;
    const r = raw as { format?: unknown; unit?: unknown; engine?: unknown; settings?: unknown; entries?: unknown };
    if (r.format !== FORMAT || r.unit !== id.unit || r.engine !== id.engine || r.settings !== id.settings) return;
    if (!r.entries || typeof r.entries !== "object" || Array.isArray(r.entries)) return;
    for (const [path, e] of Object.entries(r.entries as Record<string, unknown>)) if (validEntry(e)) this.old.set(path, e);
  }

  /** The cached outcome of `path` when it still holds for the file as it is now, else undefined. */
  get(root: string, path: string, size: number, oid: string | undefined): { outcome: unknown } | undefined {
    const e = this.old.get(path);
    let ok = false;
    if (e && e.size === size) {
      if (oid !== undefined && e.oid === oid) ok = true;
      else if (e.proof) ok = proofHolds(join(root, path), e.proof);
    }
    if (!ok || !this.validOutcome(e!.outcome, path)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Kept for the next run, with the blob id it has now.
    this.now.set(path, { ...e!, ...(oid !== undefined ? { oid } : {}) });
    return { outcome: e!.outcome };
  }

  /**
   * A whole scanner's cached result (stored under `key`) when the walk lists the same paths and
   * sizes and every file it read still holds the same bytes.
   */
  getWhole(root: string, key: string, list: string, files: ReadonlyMap<string, { size: number; oid?: string }>): { outcome: unknown } | undefined {
    const e = this.old.get(key);
    const inputs = e?.inputs;
    const holds =
      inputs !== undefined &&
      inputs.list === list &&
      Object.entries(inputs.files).every(([path, f]) => {
        const now = files.get(path);
        if (!now || now.size !== f.size) return false;
        if (now.oid !== undefined && f.oid === now.oid) return true;
        return f.proof !== undefined && proofHolds(join(root, path), f.proof);
      });
    if (!holds || !this.validOutcome(e!.outcome, key)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.now.set(key, e!);
    return { outcome: e!.outcome };
  }

  set(path: string, entry: CacheEntry): void {
    if (JSON.stringify(entry.outcome ?? null).length > MAX_OUTCOME_JSON) return;
    this.now.set(path, entry);
  }

  /** Writes the entries this run used or made (old ones not seen again are dropped), atomically. */
  save(): void {
    const entries: Record<string, CacheEntry> = {};
    for (const [k, v] of [...this.now].sort((a, b) => (a[0] < b[0] ? -1 : 1))) entries[k] = v;
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, ...this.id, entries }));
    renameSync(tmp, this.file);
  }
}

/** The cache folder of a run. */
export class ScanCache {
  private readonly spaces: CacheSpace[] = [];

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  space(unit: string, settings: unknown, validOutcome: (outcome: unknown, path: string) => boolean): CacheSpace {
    const id = { unit, engine: engineId(), settings: stableHash(settings) };
    const s = new CacheSpace(join(this.dir, `${unit}-${id.engine}-${id.settings}.json`), id, validOutcome);
    this.spaces.push(s);
    return s;
  }

  get hits(): number {
    return this.spaces.reduce((a, s) => a + s.hits, 0);
  }

  get misses(): number {
    return this.spaces.reduce((a, s) => a + s.misses, 0);
  }

  /** Saves every space; a cache that cannot be written only costs the next run its hits. */
  save(): string | undefined {
    try {
      for (const s of this.spaces) s.save();
      // Files another engine (an older aigate) wrote are never read again.
      const current = engineId();
      for (const name of readdirSync(this.dir)) {
        const m = /^[a-z]+-([0-9a-f]{16})-[0-9a-f]{16}\.json$/.exec(name);
        if (m && m[1] !== current) rmSync(join(this.dir, name), { force: true });
      }
      return undefined;
    } catch (e) {
      return `the scan cache could not be written (${(e as Error).message})`;
    }
  }
}
