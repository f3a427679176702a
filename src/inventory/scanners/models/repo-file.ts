// A repository file opened for scanning. Nearly every file of a repository is read only for its
// first kilobyte (and perhaps its last bytes, where a zip's end record sits), so those reads are
// synchronous: on cached files the thread-pool round trips of async reads cost far more than the
// reads. Long reads (a pickle's windows) stay asynchronous, so that I/O overlaps the walking of
// other files.
import { closeSync, openSync, read, readSync } from "node:fs";
import type { IoStats, RandomAccess } from "./reader.js";

/** Bytes read up front: magic numbers, a Git LFS pointer, a whole small file. */
export const HEAD_BYTES = 1024;
/** Reads up to this size are made synchronously. */
const SYNC_READ = 4096;

export class RepoFileAccess implements RandomAccess {
  /** The first min(size, HEAD_BYTES) bytes; reads inside it never touch the file again. */
  readonly head: Buffer;
  private fd: number | undefined;

  constructor(
    path: string,
    readonly size: number,
    private readonly stats: IoStats,
  ) {
    this.fd = openSync(path, "r");
    try {
      const head = Buffer.allocUnsafe(Math.min(size, HEAD_BYTES));
      const n = readSync(this.fd, head, 0, head.length, 0);
      stats.bytesRead += n;
      this.head = head.subarray(0, n);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  async read(pos: number, len: number): Promise<Buffer> {
    const n = Math.max(0, Math.min(len, this.size - pos));
    const h = this.head.length;
    if (n === 0) return Buffer.alloc(0);
    if (pos + n <= h) return this.head.subarray(pos, pos + n);
    // A window that starts in the head (a parser reading from byte 0): only the rest comes from disk.
    if (pos < h) return Buffer.concat([this.head.subarray(pos), await this.read(h, pos + n - h)]);
    if (this.fd === undefined) throw new Error("read after close");
    const b = Buffer.allocUnsafe(n);
    const got = n <= SYNC_READ ? readSync(this.fd, b, 0, n, pos) : await readAsync(this.fd, b, pos);
    this.stats.bytesRead += got;
    return b.subarray(0, got);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function readAsync(fd: number, b: Buffer, pos: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, b, 0, b.length, pos, (err, n) => (err ? reject(err) : resolve(n))));
}
