// A pool of scan worker threads. The main thread takes batches from the same queue as the workers
// (it would otherwise only wait), so `threads` threads scan in all: threads - 1 workers. Outcomes
// are returned per batch in the order of the batches, whichever thread ran them, so the merged
// result is the same bytes whatever the pool's size. A worker that fails has its batch scanned on
// the main thread.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { BatchMessage, BatchReply } from "./scan-worker.js";
import { scanBatch, type FileDone } from "./scan-units.js";

export type Batch = Omit<BatchMessage, "id">;

/**
 * Threads to scan with by default: AIGATE_SCAN_THREADS, else one per core the process may use, and
 * no more than its cgroup's CPU quota allows (a container limited to one CPU on an 8-core host:
 * Node counts the cores it may run on, not the time it may use them).
 */
export function defaultThreads(): number {
  const set = Number(process.env.AIGATE_SCAN_THREADS);
  if (Number.isSafeInteger(set) && set >= 1) return Math.min(set, 64);
  quota ??= { cpus: cpuQuota(readCpuMax()) };
  return Math.max(1, Math.min(availableParallelism(), quota.cpus ?? Infinity));
}
/** The container's CPU quota, read once per process (defaultThreads is asked several times a run). */
let quota: { cpus: number | undefined } | undefined;

/** The container's CPU limit as cgroup v2 writes it, or cgroup v1's quota and period in that form. */
function readCpuMax(): string | undefined {
  const read = (f: string) => {
    try {
      return readFileSync(f, "utf8").trim();
    } catch {
      return undefined;
    }
  };
  const v2 = read("/sys/fs/cgroup/cpu.max");
  if (v2 !== undefined) return v2;
  const [quota, period] = [read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), read("/sys/fs/cgroup/cpu/cpu.cfs_period_us")];
  return quota !== undefined && period !== undefined ? `${quota} ${period}` : undefined;
}

/** CPUs a cgroup v2 `cpu.max` ("QUOTA PERIOD", or "max PERIOD") allows, rounded up; undefined when unlimited or unreadable. */
export function cpuQuota(cpuMax: string | undefined): number | undefined {
  const m = /^(\d+) (\d+)\s*$/.exec(cpuMax ?? "");
  if (!m) return undefined;
  const [quota, period] = [Number(m[1]), Number(m[2])];
  return period > 0 && quota > 0 ? Math.max(1, Math.ceil(quota / period)) : undefined;
}

/**
 * A scan thread's young generation: it allocates a file's bytes and parse and drops them at once, so
 * a small one is collected often and cheaply, where V8's default grows to tens of megabytes of
 * resident memory in every thread.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/**
 * Batches sent ahead to each worker (see runBatches). A few, not the whole list: every worker holding
 * every batch and claiming them from a shared counter was measured (Node 20, 2 cores): no faster,
 * and 32 MB more peak memory on 50,000 source files (214 MB).
 */
const IN_FLIGHT = 2;

/**
 * A worker running dist/scan-worker.js beside the bundle, or, from the TypeScript sources (tsx,
 * jest), src/inventory/scan-worker.ts through tsx's loader.
 */
function spawn(): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./scan-worker.js", here), { resourceLimits: WORKER_LIMITS });
  const req = createRequire(here);
  const api = pathToFileURL(join(dirname(req.resolve("tsx/package.json")), "dist", "esm", "api", "index.mjs")).href;
  const entry = new URL("./scan-worker.ts", here).href;
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, {
    eval: true,
    resourceLimits: WORKER_LIMITS,
  });
}

/** A worker started before the scan knew it would need one (prewarmScanWorker), and whether it died meanwhile. */
let warm: { worker: Worker; dead: boolean } | undefined;

/**
 * Starts a scan worker now, so that it loads the scanners (about 0.15 s) while the walk still runs:
 * for a walk that lists more files than a pool is started for. Until the pool takes it, it does not
 * keep the process alive; the next runBatches or releaseWarmWorker ends it if unused.
 */
export function prewarmScanWorker(threads = defaultThreads()): void {
  if (threads < 2 || warm) return;
  try {
    const w = { worker: spawn(), dead: false };
    w.worker.unref();
    w.worker.once("error", () => (w.dead = true));
    w.worker.once("exit", () => (w.dead = true));
    warm = w;
  } catch {
    warm = undefined;
  }
}

/** The prewarmed worker, if it is alive (the caller owns it now). */
function takeWarm(): Worker | undefined {
  const w = warm;
  warm = undefined;
  if (!w || w.dead) return undefined;
  w.worker.ref();
  return w.worker;
}

/** Ends the prewarmed worker when the scan turned out not to need it. */
export function releaseWarmWorker(): void {
  const w = warm;
  warm = undefined;
  void w?.worker.terminate().catch(() => undefined);
}

/**
 * A batch of source files holding fewer bytes than this is scanned on the main thread only. Its cost
 * is per file (open, read, close, a prefilter that passes most files over), which a second thread
 * does not share out here: 20,000 files of 56 bytes took 0.84 s on one thread and 0.96 s with a
 * worker (2 cores), which must also compile the code scanner and its grammars for them. Real source
 * files are parsed, and a worker halves that: the Python standard library and node_modules (2,500
 * files, 36 MB) took 10.3 s with every source batch on the main thread and 9.0 s shared.
 */
export const LIGHT_CODE_BYTES = 64 * 1024;

type Queued = Pick<Batch, "units" | "tasks">;

/** A batch's place in the queue: 0 without source code, 1 source code worth a worker, 2 source code the main thread keeps. */
export function queueRank(b: Queued): number {
  if (!b.units.includes("code")) return 0;
  let bytes = 0;
  let last: Batch["tasks"][number]["file"] | undefined;
  for (const t of b.tasks) {
    if (t.file !== last) bytes += t.file.size;
    last = t.file;
  }
  return bytes >= LIGHT_CODE_BYTES ? 1 : 2;
}

/** The order batches are queued in (see runBatches): by queueRank, each rank in the given order. */
export function queueOrder(batches: readonly Queued[]): { order: number[]; ranks: number[] } {
  const ranks = batches.map(queueRank);
  return { order: [...batches.keys()].sort((a, b) => ranks[a]! - ranks[b]! || a - b), ranks };
}

/** Runs the batches on `threads` threads; the outcomes of batch i are at index i. */
export async function runBatches(batches: Batch[], threads: number): Promise<FileDone[][]> {
  const out: FileDone[][] = new Array(batches.length);
  // Workers take batches from the front of the queue, this thread from the back, and the queue
  // holds the batches without source code first and light source batches last (queueRank), which
  // workers leave to this thread: with one worker, the worker reads the model files and this thread
  // the source files, until they meet. Each thread then compiles (JIT, WebAssembly) the scanner it
  // runs, not both, and the many small source files are read where their outcomes are merged
  // instead of being copied across. Measured on 20,000 source files and 300 pickles (2 cores): 4 %
  // less CPU and 3-5 % less time than one queue taken in order, and 3 % less again with light
  // batches kept here.
  const { order: queue, ranks } = queueOrder(batches);
  const shared = ranks.filter((r) => r < 2).length;
  const workers = Math.min(Math.max(0, threads - 1), Math.max(0, batches.length - 1), shared);
  let front = 0;
  let back = queue.length;
  const take = () => (front < back && ranks[queue[front]!]! < 2 ? queue[front++]! : -1);
  const takeBack = () => (front < back ? queue[--back]! : -1);
  if (workers === 0) releaseWarmWorker();
  const lanes: Promise<void>[] = [];
  for (let w = 0; w < workers; w++) {
    lanes.push(
      (async () => {
        let worker: Worker | undefined;
        try {
          worker = (w === 0 ? takeWarm() : undefined) ?? spawn();
          const w0 = worker;
          const failed = new Promise<never>((_, reject) => {
            w0.once("error", reject);
            w0.once("exit", (code) => reject(new Error(`scan worker exited (${code})`)));
          });
          failed.catch(() => undefined);
          // Batches in flight per worker: it starts the next the moment it replies, instead of waiting
          // for this thread (busy with a batch of its own, or a scanner not split by file) to read the
          // reply and send one. The messages are file lists; the worker scans one batch at a time.
          const feed = async () => {
            for (let i = take(); i >= 0; i = take()) {
              const reply = await Promise.race([
                new Promise<BatchReply>((resolve) => {
                  const on = (m: BatchReply) => {
                    if (m.id !== i) return;
                    w0.off("message", on);
                    resolve(m);
                  };
                  w0.on("message", on);
                  w0.postMessage({ ...batches[i]!, id: i } satisfies BatchMessage);
                }),
                failed,
              ]).catch(() => undefined);
              if (reply && "done" in reply) out[i] = reply.done;
              else {
                // The worker could not scan it (it failed, or died): this thread does.
                out[i] = await scanBatch(batches[i]!);
                if (!reply) break;
              }
            }
          };
          await Promise.all(Array.from({ length: IN_FLIGHT }, feed));
        } catch {
          // No worker could be started: the main thread scans everything.
        } finally {
          await worker?.terminate();
        }
      })(),
    );
  }
  lanes.push(
    (async () => {
      for (let i = takeBack(); i >= 0; i = takeBack()) {
        out[i] = await scanBatch(batches[i]!);
        // A turn of the event loop between batches: a batch scans without one (its awaits are
        // microtasks), and the workers' replies, and so their next batches, wait for this thread.
        if (workers > 0) await new Promise<void>((go) => setImmediate(go));
      }
    })(),
  );
  await Promise.all(lanes);
  // A worker that died after taking a batch left it to nobody: the main thread finishes them.
  for (let i = 0; i < batches.length; i++) if (!out[i]) out[i] = await scanBatch(batches[i]!);
  return out;
}
