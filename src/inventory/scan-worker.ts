// A scan worker thread: scans batches of files with the same per-file units the main thread uses,
// taking them from the run's shared counter until none is left, and sends back their outcomes.
// Bundled as dist/scan-worker.js.
import { parentPort } from "node:worker_threads";
import { scanBatch, type FileDone, type FileTask, type UnitId } from "./scan-units.js";
import type { ScannerSettings } from "./types.js";

export interface Batch {
  /** Each task's unit. A file's tasks are consecutive, the unit that reads it whole first (see ReadFiles). */
  units: UnitId[];
  root: string;
  settings: ScannerSettings;
  tasks: FileTask[];
  record: boolean;
}

/**
 * A run's batches, sent once to every worker, and the counter they are claimed with: each thread
 * (the main one included) takes the next index with Atomics.add, so no thread waits for another to
 * hand it work.
 */
export interface RunMessage {
  batches: Batch[];
  next: SharedArrayBuffer;
}

/** A batch's outcomes (or why it could not be scanned), then `finished` once the counter runs out. */
export type BatchReply = { id: number; done: FileDone[] } | { id: number; error: string } | { finished: true };

const port = parentPort;
if (port) {
  port.on("message", (m: RunMessage) => {
    void (async () => {
      const next = new Int32Array(m.next);
      // One batch at a time: a thread holds one batch's buffers at once.
      for (let i = Atomics.add(next, 0, 1); i < m.batches.length; i = Atomics.add(next, 0, 1)) {
        try {
          port.postMessage({ id: i, done: await scanBatch(m.batches[i]!) } satisfies BatchReply);
        } catch (e) {
          port.postMessage({ id: i, error: String((e as Error)?.message ?? e) } satisfies BatchReply);
        }
      }
      port.postMessage({ finished: true } satisfies BatchReply);
    })();
  });
}
