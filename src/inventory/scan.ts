// Runs every scanner over the walked files: the per-file scanners (models, code) on a pool of
// threads and through the scan cache, the others (agents, data, dependencies) on the main thread,
// cached as a whole. Under `scope: changed` a file outside the change is taken from the cache or
// not opened at all. The merged inventory is the same bytes whatever the pool's size and whatever
// came from the cache.
import { createHash } from "node:crypto";
import { scanContext } from "./context.js";
import { ProofRecorder, RACY_MS, ScanCache, trustedStamp, type CacheSpace, type FileNow, type SummarySpace, type WholeInputs } from "./cache.js";
import { defaultThreads, releaseWarmWorker, runBatches, type Batch } from "./pool.js";
import { UNITS, type FileDone, type FileTask, type ModelOutcome, type UnitId } from "./scan-units.js";
import { blobKey, copyOf, MODEL_EXT, modelScanOptions, wantsHash, type HashRequest } from "./scanners/models/index.js";
import type { Inventory, RepoFile, Scanner, ScannerSettings, ScanResult } from "./types.js";
import { fileStamp, writeStampNumbers } from "./walk.js";
import { append } from "../util/append.js";
import { stageDone } from "../util/timing.js";

export interface InventoryScanOptions {
  /** Which model files need a sha256 (see HashRequest). */
  hash?: HashRequest;
  /** The cache folder (outside the repository); no cache without it. */
  cacheDir?: string;
  /** Threads that scan (default: one per core); 1 scans on the main thread only. */
  threads?: number;
  /**
   * The files that must be scanned (`scope: changed`: the changed files and those of systems whose
   * manifest changed). Any other file is taken from the cache, or not opened.
   */
  scanOnly?: (path: string) => boolean;
}

export interface InventoryScan {
  inventory: Inventory;
  notes: string[];
  stats: { cacheHits: number; cacheMisses: number; cacheVerified: number; notScanned: number; threads: number };
}

/** Fewer files than this to scan are not worth starting a worker for. */
export const POOL_MIN_TASKS = 256;
/**
 * A batch ends at this many files or, once it holds some, at this many bytes of files: model files
 * are mostly small files whose head is sniffed, and a few large ones worth a thread each.
 */
const BATCH = { files: 256, bytes: 4 * 1024 * 1024 };
/** A file's tasks in a batch, in this order: the code unit reads a source file whole, the models unit then sniffs those bytes. */
const UNIT_RANK: Record<UnitId, number> = { code: 0, models: 1 };
const UNIT_COUNT = Object.keys(UNIT_RANK).length;

interface UnitPlan {
  unit: UnitId;
  files: RepoFile[];
  /** Each file's position in the walk. */
  walkIndex: number[];
  /** Per file: a cached or copied outcome, or the index of its task. */
  outcomes: unknown[];
  /** Each file's task (-1: none). */
  taskOf: Int32Array;
  tasks: FileTask[];
  /** The file (its index in `files`) of each task. */
  taskFile: number[];
  space?: CacheSpace;
  copies: [number, number][];
  hashWanted: boolean[];
  bytesRead: number;
  /** The unit's merged result, kept for files with this key (see SummarySpace). */
  summary?: { space: SummarySpace; key: string };
  /** The merged result taken from the summary: no per-file work at all. */
  fromSummary?: ScanResult;
  /** Every outcome is one the per-file cache could keep (none left unscanned, none without a proof). */
  memoable: boolean;
}

export async function scanInventory(
  root: string,
  files: RepoFile[],
  settings: ScannerSettings,
  scanners: readonly Scanner[],
  opts: InventoryScanOptions = {},
): Promise<InventoryScan> {
  const inv: Inventory = { root, files, observations: [], unscanned: [], models: [], facts: {} };
  const cache = opts.cacheDir ? new ScanCache(opts.cacheDir) : undefined;
  const notes: string[] = [];
  const notScanned = new Set<string>();
  const hashOptions = modelScanOptions(settings, opts.hash ?? {});

  // 1. Per-file units: what the cache holds, what must be scanned.
  const plans = new Map<UnitId, UnitPlan>();
  for (const s of scanners) {
    const id = s.meta.id as UnitId;
    if (!(id in UNITS)) continue;
    const unit = UNITS[id];
    const wanted: RepoFile[] = [];
    const walkIndex: number[] = [];
    files.forEach((f, w) => {
      if (!unit.wants(f)) return;
      wanted.push(f);
      walkIndex.push(w);
    });
    const plan: UnitPlan = {
      unit: id,
      files: wanted,
      walkIndex,
      outcomes: [],
      taskOf: new Int32Array(wanted.length).fill(-1),
      tasks: [],
      taskFile: [],
      copies: [],
      hashWanted: [],
      bytesRead: 0,
      memoable: true,
    };
    plans.set(id, plan);
    plan.hashWanted = plan.files.map((f) => id === "models" && wantsHash(hashOptions, f.path));
    const spaceSettings = id === "models" ? { settings: modelSettings(settings) } : { settings };
    const summaryKey = cache ? filesKey(plan.files, plan.hashWanted) : undefined;
    if (cache && summaryKey) {
      const space = cache.summary(`${id}${unit.version}`, spaceSettings, validSummary);
      const hit = space.get(summaryKey);
      if (hit) {
        plan.fromSummary = hit.result as ScanResult;
        cache.summaryHits += plan.files.length;
        continue;
      }
      plan.summary = { space, key: summaryKey };
    }
    plan.space = cache?.space(`${id}${unit.version}`, spaceSettings, unit.valid);
    const firstOf = new Map<string, number>();
    const skipped = new Set<number>();
    const skip = (f: RepoFile, i?: number) => {
      plan.memoable = false;
      if (i !== undefined) skipped.add(i);
      if (id !== "models" || MODEL_EXT.test(f.path)) notScanned.add(f.path);
    };
    // Without a cache, a file outside the change is skipped at once unless its bytes are those of a
    // file in it (whose outcome it would share): nothing else about it is worked out.
    const scanOnly = opts.scanOnly;
    const sharedIds = !plan.space && scanOnly ? new Set(plan.files.filter((f) => f.oid && scanOnly(f.path)).map((f) => f.oid)) : undefined;
    plan.files.forEach((f, i) => {
      // Never a first copy (its bytes are no changed file's): no copy asks whether it was skipped.
      if (sharedIds && !scanOnly!(f.path) && !(f.oid && sharedIds.has(f.oid))) return skip(f);
      const hash = plan.hashWanted[i]!;
      const key = id === "models" ? blobKey(f) : undefined;
      const first = key ? firstOf.get(key) : undefined;
      const firstTask = first === undefined || plan.taskOf[first]! < 0 ? undefined : plan.taskOf[first]!;
      // Identical bytes: the first copy's outcome (and digest, which it computes when a copy wants it).
      if (first !== undefined && !skipped.has(first) && (!hash || firstTask !== undefined || digestOf(plan.outcomes[first]))) {
        plan.copies.push([i, first]);
        if (hash && firstTask !== undefined) plan.tasks[firstTask]!.hash = true;
        return;
      }
      if (key && first === undefined) firstOf.set(key, i);
      const hit = plan.space?.get(root, f.path, nowOf(f));
      // A cached model without the digest now wanted is scanned again (the digest comes with that one read).
      const cached = hit && (unit.restore ? unit.restore(hit.outcome, f.path) : hit.outcome);
      if (hit && !(hash && !digestOf(cached))) {
        plan.outcomes[i] = unit.fromCache(cached);
        return;
      }
      if (scanOnly && !scanOnly(f.path)) return skip(f, i);
      plan.taskOf[i] = plan.tasks.length;
      plan.taskFile.push(i);
      plan.tasks.push({ file: f, hash });
    });
  }

  stageDone("scan: plan (cache lookups, batches)");
  // 2. Scan on the pool.
  const { batches, slots } = batchTasks([...plans.values()], files.length, root, settings, cache !== undefined);
  const taskCount = batches.reduce((a, b) => a + b.tasks.length, 0);
  const threads = taskCount >= POOL_MIN_TASKS ? Math.max(1, opts.threads ?? defaultThreads()) : 1;
  const pooled = runBatches(batches, threads);
  // The scanners not split by file run meanwhile on this thread (between its own batches), while the
  // workers take more of the batches: otherwise they would wait for these at the end.
  const listHash = cache ? fileListHash(files) : "";
  // A file as the cache compares it, made only for the files a whole scanner's entry recorded.
  let walked: Map<string, RepoFile> | undefined;
  const byPath = (path: string): FileNow | undefined => {
    const f = (walked ??= new Map(files.map((x) => [x.path, x]))).get(path);
    return f && nowOf(f);
  };
  const wholes = new Map<Scanner, Promise<ScanResult>>();
  // One after the other, as before: together they would hold every scanner's buffers at once.
  let previous: Promise<unknown> = Promise.resolve();
  for (const scanner of scanners) {
    if (plans.has(scanner.meta.id as UnitId)) continue;
    const whole = previous.then(() => wholeScan(scanner, root, files, settings, cache, listHash, byPath));
    previous = whole.catch(() => undefined);
    wholes.set(scanner, whole);
  }
  const done = await pooled;
  stageDone("scan: files on the pool, whole-repository scanners beside them");
  releaseWarmWorker();
  const results = new Map<UnitPlan, FileDone[]>();
  for (const plan of plans.values()) results.set(plan, new Array<FileDone>(plan.tasks.length));
  done.forEach((d, b) => d.forEach((x, j) => (results.get(slots[b]!.plans[j]!)![slots[b]!.t[j]!] = x)));
  for (const plan of plans.values()) {
    const unit = UNITS[plan.unit];
    const all = results.get(plan) ?? [];
    for (let t = 0; t < plan.taskFile.length; t++) {
      const i = plan.taskFile[t]!;
      const r = all[t];
      if (!r?.proof) plan.memoable = false;
      if (!r) continue;
      plan.outcomes[i] = r.outcome;
      plan.bytesRead += r.bytesRead;
      const f = plan.files[i]!;
      if (r.proof) plan.space?.set(f.path, recordOf(f, { proof: r.proof, outcome: unit.store ? unit.store(r.outcome) : r.outcome }));
    }
    if (plan.unit === "models") {
      for (const [i, first] of plan.copies)
        plan.outcomes[i] = copyOutcome(plan.outcomes[first] as ModelOutcome | undefined, plan.files[i]!.path, plan.hashWanted[i]!);
      // A digest is reported only where it was asked for (a cached one included): the report does not depend on the cache.
      plan.files.forEach((f, i) => {
        if (!plan.hashWanted[i]) plan.outcomes[i] = copyOutcome(plan.outcomes[i] as ModelOutcome | undefined, f.path, false);
      });
    }
    // What a rerun over the same files would merge: every outcome as the cache gives it back, no bytes read.
    if (plan.summary && plan.memoable) {
      plan.summary.space.set(
        plan.summary.key,
        unit.merge(
          plan.outcomes.map((o) => unit.fromCache(o)),
          0,
        ),
      );
    }
  }

  // 3. Every scanner's result, in the registry's order.
  for (const scanner of scanners) {
    try {
      const plan = plans.get(scanner.meta.id as UnitId);
      const r = plan ? (plan.fromSummary ?? UNITS[plan.unit].merge(plan.outcomes, plan.bytesRead)) : await wholes.get(scanner)!;
      append(inv.observations, r.observations);
      append(inv.unscanned, r.unscanned);
      append(inv.models, r.models ?? []);
      if (r.facts) inv.facts[scanner.meta.id] = r.facts;
    } catch (e) {
      // A scanner bug must not pass the files it did not finish as clean.
      inv.unscanned.push({ path: ".", scanner: scanner.meta.id, reason: `scanner failed: ${(e as Error).message}` });
    }
  }

  if (notScanned.size)
    notes.push(
      `scope: changed: ${notScanned.size} unchanged file${notScanned.size === 1 ? " was" : "s were"} not scanned (no scan cache entry), so findings in ${notScanned.size === 1 ? "it are" : "them are"} not listed; they could not fail the gate.`,
    );
  const saveProblem = cache?.save();
  if (saveProblem) notes.push(`${saveProblem}; the next run scans again what this one did.`);
  return {
    inventory: inv,
    notes,
    stats: {
      cacheHits: (cache?.hits ?? 0) + (cache?.summaryHits ?? 0),
      cacheMisses: cache?.misses ?? 0,
      cacheVerified: cache?.verified ?? 0,
      notScanned: notScanned.size,
      threads,
    },
  };
}

/** Where the tasks of a batch go back: the plan of task j and its index there. */
interface BatchSlots {
  plans: UnitPlan[];
  t: Uint32Array;
}

/**
 * The units' tasks in batches, taken in the walk's order, a file's code task before its models task;
 * a batch never splits a file's tasks: the thread that reads a source file whole for the code unit
 * gives its bytes to the models unit's sniff (ReadFiles), one read a file. The order is laid out in
 * typed arrays, not an object a task: a repository of 50,000 files has 100,000 tasks.
 */
function batchTasks(plans: UnitPlan[], walked: number, root: string, settings: ScannerSettings, record: boolean): { batches: Batch[]; slots: BatchSlots[] } {
  // A task's place in the order: its file's position in the walk, then its unit's rank.
  const slotPlan = new Uint8Array(walked * UNIT_COUNT);
  const slotTask = new Int32Array(walked * UNIT_COUNT).fill(-1);
  plans.forEach((plan, p) => {
    const rank = UNIT_RANK[plan.unit];
    for (let t = 0; t < plan.tasks.length; t++) {
      const k = plan.walkIndex[plan.taskFile[t]!]! * UNIT_COUNT + rank;
      slotPlan[k] = p;
      slotTask[k] = t;
    }
  });
  const batches: Batch[] = [];
  const slots: BatchSlots[] = [];
  let k = 0;
  const nextSlot = () => {
    while (k < slotTask.length && slotTask[k]! < 0) k++;
    return k < slotTask.length;
  };
  while (nextSlot()) {
    const batch: Batch = { units: [], root, settings, tasks: [], record };
    const atPlans: UnitPlan[] = [];
    const atTask: number[] = [];
    let bytes = 0;
    let filesIn = 0;
    let last: RepoFile | undefined;
    for (; nextSlot(); k++) {
      const plan = plans[slotPlan[k]!]!;
      const t = slotTask[k]!;
      const task = plan.tasks[t]!;
      if (task.file !== last) {
        // A new file: the batch is full by count, or by bytes once it holds some.
        if (filesIn > 0 && (filesIn >= BATCH.files || bytes + task.file.size > BATCH.bytes)) break;
        filesIn++;
        bytes += task.file.size;
        last = task.file;
      }
      batch.units.push(plan.unit);
      batch.tasks.push(task);
      atPlans.push(plan);
      atTask.push(t);
    }
    batches.push(batch);
    slots.push({ plans: atPlans, t: Uint32Array.from(atTask) });
  }
  return { batches, slots };
}

/** The settings that change a model file's scan (its allowlists and limits; not which digests are wanted). */
function modelSettings(settings: ScannerSettings): unknown {
  const { modelHashing: _h, ...rest } = settings as Record<string, unknown>;
  return rest;
}

function digestOf(outcome: unknown): string | null {
  return (outcome as ModelOutcome | undefined)?.model?.artifact.sha256 ?? null;
}

function copyOutcome(o: ModelOutcome | undefined, path: string, withDigest: boolean): ModelOutcome | undefined {
  if (!o?.model) return o;
  return { model: copyOf(o.model, path, withDigest) };
}

/** A walked file as the cache compares it: size, blob id, and the walk's stamp. */
function nowOf(f: RepoFile): FileNow {
  return { size: f.size, ...(f.oid ? { oid: f.oid } : {}), stamp: fileStamp(f) };
}

/** What the cache records of a file read now: size, blob id, stamp (when trusted), and more. */
function recordOf<T extends object>(f: RepoFile, more: T): { size: number; oid?: string; stamp?: string } & T {
  const stamp = trustedStamp(fileStamp(f));
  return { size: f.size, ...(f.oid ? { oid: f.oid } : {}), ...(stamp ? { stamp } : {}), ...more };
}

/**
 * The key of a unit's files for its summary: each path, size, blob id or trusted stamp, and whether
 * its digest is wanted. Undefined when a file has neither a blob id nor a trusted stamp. Written as
 * bytes (the numbers as they are, not as text) and hashed in pieces: it is made over every file.
 */
function filesKey(files: readonly RepoFile[], hashWanted: readonly boolean[]): string | undefined {
  const hash = createHash("sha256");
  const numbers = new Float64Array(6);
  const bytes = new Uint8Array(numbers.buffer);
  let piece = "";
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    numbers[0] = f.size;
    numbers[1] = hashWanted[i] ? 1 : 0;
    // A path is ended by a NUL (none holds one) and followed by its kind of identity: no two files' lines read alike.
    if (f.oid !== undefined) piece += `${f.path}\u0000o${f.oid}\u0000`;
    else if (writeStampNumbers(f, RACY_MS, numbers, 2)) piece += `${f.path}\u0000s`;
    else return undefined;
    hash.update(piece);
    hash.update(f.oid !== undefined ? bytes.subarray(0, 16) : bytes);
    piece = "";
  }
  return hash.digest("hex");
}

function fileListHash(files: readonly RepoFile[]): string {
  return createHash("sha256")
    .update(files.map((f) => `${f.path}\u0000${f.size}\n`).join(""))
    .digest("hex");
}

/** A scanner that is not split by file: its whole result is cached with what it read of each file. */
async function wholeScan(
  scanner: Scanner,
  root: string,
  files: RepoFile[],
  settings: ScannerSettings,
  cache: ScanCache | undefined,
  listHash: string,
  byPath: (path: string) => FileNow | undefined,
): Promise<ScanResult> {
  const space = cache?.space(`whole-${scanner.meta.id}`, { settings }, validScanResult);
  if (space) {
    const hit = space.getWhole(root, "*", listHash, byPath);
    if (hit) return hit.outcome as ScanResult;
  }
  const recorders = new Map<string, ProofRecorder>();
  const ctx = scanContext(
    root,
    files,
    settings,
    space
      ? (path, pos, data) => {
          let r = recorders.get(path);
          if (!r) recorders.set(path, (r = new ProofRecorder()));
          r.see(pos, data);
        }
      : undefined,
  );
  const result = await scanner.scan(ctx);
  if (space) {
    const walked = new Map(files.map((f) => [f.path, f]));
    // No prototype: a path is a key, and a file named __proto__ must be one like any other.
    const inputs: WholeInputs = { list: listHash, files: Object.create(null) as WholeInputs["files"] };
    let ok = true;
    for (const [path, r] of recorders) {
      const f = walked.get(path);
      const proof = r.proof();
      if (!f || !proof) ok = false;
      else inputs.files[path] = recordOf(f, { proof });
    }
    if (ok) space.set("*", { size: 0, inputs, outcome: result });
  }
  return result;
}

/** A unit's summary: a scan result whose model artifacts have the artifact's shape as well. */
function validSummary(v: unknown): boolean {
  if (!validScanResult(v)) return false;
  const models = (v as ScanResult).models;
  return (
    models === undefined ||
    models.every(
      (a) =>
        typeof a === "object" &&
        a !== null &&
        typeof a.path === "string" &&
        typeof a.format === "string" &&
        ["safe", "suspicious", "unsafe", "error", "unscanned"].includes(a.verdict) &&
        typeof a.size === "number" &&
        (a.sha256 === null || (typeof a.sha256 === "string" && /^[0-9a-f]{64}$/.test(a.sha256))) &&
        (a.globals === undefined || (Array.isArray(a.globals) && a.globals.every((g) => typeof g === "string"))) &&
        (a.details === undefined || (typeof a.details === "object" && a.details !== null && !Array.isArray(a.details))),
    )
  );
}

function validScanResult(v: unknown): boolean {
  if (!v || typeof v !== "object") return false;
  const r = v as ScanResult;
  const rec = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
  return (
    Array.isArray(r.observations) &&
    r.observations.every(
      (o) =>
        rec(o) &&
        typeof o.scanner === "string" &&
        typeof o.kind === "string" &&
        typeof o.message === "string" &&
        typeof o.key === "string" &&
        rec(o.location) &&
        typeof o.location.path === "string" &&
        typeof o.location.line === "number" &&
        typeof o.location.column === "number",
    ) &&
    Array.isArray(r.unscanned) &&
    r.unscanned.every((u) => rec(u) && typeof u.path === "string" && typeof u.reason === "string" && typeof u.scanner === "string") &&
    (r.models === undefined || Array.isArray(r.models)) &&
    (r.facts === undefined || rec(r.facts))
  );
}
