// A scan worker thread: scans the batches of files the pool sends it with the same per-file units
// the main thread uses, and sends back their outcomes. Bundled as dist/scan-worker.js.
import { parentPort } from "node:worker_threads";
import { scanBatch, type FileDone, type FileTask, type UnitId } from "./scan-units.js";
import type { ScannerSettings } from "./types.js";

export interface BatchMessage {
  id: number;
  /** Each task's unit. A file's tasks are consecutive, the unit that reads it whole first (see ReadFiles). */
  units: UnitId[];
  root: string;
  settings: ScannerSettings;
  tasks: FileTask[];
  record: boolean;
}

export type BatchReply = { id: number; done: FileDone[] } | { id: number; error: string };

const port = parentPort;
if (port) {
  // The pool sends the next batch before this one is done: batches are scanned one after the
  // other, so a thread holds one batch's buffers at a time.
  let queue: Promise<void> = Promise.resolve();
  port.on("message", (m: BatchMessage) => {
    queue = queue.then(async () => {
      try {
        port.postMessage({ id: m.id, done: await scanBatch(m) } satisfies BatchReply);
      } catch (e) {
        port.postMessage({ id: m.id, error: String((e as Error)?.message ?? e) } satisfies BatchReply);
      }
    });
  });
}
