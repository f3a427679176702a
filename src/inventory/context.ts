// The ScanContext every scanner gets: the walked files, the packs' settings, and bounded reads.
// Reads are synchronous under a promise: nearly every read is a small file or a file's first bytes
// from the page cache, where a thread-pool round trip per open, read and close costs 10-20 times
// the read itself (and the scanners read one file after another anyway).
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import type { RepoFile, ScanContext, ScannerSettings } from "./types.js";
import { byCodeUnits } from "../util/sorted.js";

/** The walk's order of files (UTF-16 code units, which is git's byte order for most names). */
export const byPath = <T extends { path: string }>(a: T, b: T): number => byCodeUnits(a.path, b.path);

export function isSortedByPath(list: readonly { path: string }[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]!.path > list[i]!.path) return false;
  return true;
}

/**
 * A walked file's path under the root it was walked from. A walk's paths are relative, POSIX, and
 * have no "." or ".." part, so plain joining names the file path.join would (without normalising
 * the whole string again for each of many thousand files).
 */
export const inRoot = (root: string, path: string): string => (root.endsWith("/") ? root + path : `${root}/${path}`);

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

/**
 * Reads at most `length` bytes at `position` of the regular file `abs`. The file's type is asked
 * (fstat) only when the answer could differ: a large request is cut to the file's size first, and a
 * short read may be a FIFO or a directory put there after the walk. A read that returns every byte
 * asked for needs no fstat: a checkout holds no devices, O_NOFOLLOW refuses a link, and a directory
 * fails the read. That is one system call in five for each small source file.
 */
export function readRangeSync(abs: string, position: number, length: number): Buffer {
  const fd = openSync(abs, OPEN_FLAGS);
  try {
    let want = Math.max(0, length);
    let checked = false;
    const check = () => {
      checked = true;
      const st = fstatSync(fd);
      if (!st.isFile()) throw new Error("not a regular file");
      return st;
    };
    // A caller asking for "the whole file" by a size the walk saw gets at most what is there now.
    if (want > 1 << 16) want = Math.min(want, Math.max(0, check().size - position));
    const buf = Buffer.allocUnsafe(want);
    let n = 0;
    try {
      while (n < want) {
        const r = readSync(fd, buf, n, want - n, position + n);
        if (r <= 0) break;
        n += r;
      }
    } catch (e) {
      // A FIFO fails the positioned read (ESPIPE), a directory the read (EISDIR): said as what they are.
      if (!checked) check();
      throw e;
    }
    if (n < want && !checked) check();
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
      const data = readRangeSync(inRoot(root, path), position, length);
      observe?.(path, position, data);
      return data;
    },
  };
}
