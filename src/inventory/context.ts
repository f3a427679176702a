// The ScanContext every scanner gets: the walked files, the packs' settings, and bounded reads.
// Reads are synchronous under a promise: nearly every read is a small file or a file's first bytes
// from the page cache, where a thread-pool round trip per open, read and close costs 10-20 times
// the read itself (and the scanners read one file after another anyway).
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import type { RepoFile, ScanContext, ScannerSettings } from "./types.js";

/** The walk's order of files (UTF-16 code units, which is git's byte order for most names). */
export const byPath = <T extends { path: string }>(a: T, b: T): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export function isSortedByPath(list: readonly { path: string }[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]!.path > list[i]!.path) return false;
  return true;
}

/** Opened without following a symbolic link and without blocking on a FIFO put there after the walk. */
export const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Opens a regular file for reading (a symbolic link, FIFO or device is refused). */
export function openRegularSync(abs: string): number {
  const fd = openSync(abs, OPEN_FLAGS);
  try {
    if (!fstatSync(fd).isFile()) throw new Error("not a regular file");
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

/** Reads at most `length` bytes at `position` of the regular file `abs`. */
export function readRangeSync(abs: string, position: number, length: number): Buffer {
  const fd = openRegularSync(abs);
  try {
    let want = Math.max(0, length);
    // A caller asking for "the whole file" by a size the walk saw gets at most what is there now.
    if (want > 1 << 16) want = Math.min(want, Math.max(0, fstatSync(fd).size - position));
    const buf = Buffer.allocUnsafe(want);
    let n = 0;
    while (n < want) {
      const r = readSync(fd, buf, n, want - n, position + n);
      if (r <= 0) break;
      n += r;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Observes every range a scanner reads (the scan cache's proof of what a result depended on). */
export type RangeObserver = (path: string, position: number, data: Buffer) => void;

export function scanContext(root: string, files: readonly RepoFile[], settings: ScannerSettings = {}, observe?: RangeObserver): ScanContext {
  return {
    root,
    files,
    settings,
    async readRange(path, position, length) {
      const data = readRangeSync(join(root, path), position, length);
      observe?.(path, position, data);
      return data;
    },
  };
}
