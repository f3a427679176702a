// A repository file opened for scanning. Nearly every file of a repository is read only for its
// first kilobyte (and perhaps its last bytes, where a zip's end record sits), so those reads are
// synchronous: on cached files the thread-pool round trips of async reads cost far more than the
// reads. Long reads (a pickle's windows) stay asynchronous, so that I/O overlaps the walking of
// other files.
//
// When the file's sha256 is wanted, the bytes the parser reads from the start on feed the digest as
// they pass (a pickle walked to its end is hashed by its own walk), and `sha256()` streams only the
// rest: no byte is read twice for the digest.
import { createHash, type Hash } from "node:crypto";
import { closeSync, read, readSync } from "node:fs";
import { openRegularSync } from "../../context.js";
import type { IoStats } from "./reader.js";

/** Bytes read up front: magic numbers, a Git LFS pointer, a whole small file. */
export const HEAD_BYTES = 1024;
/**
 * Reads up to this size (a parser's window) are made synchronously: the scan runs on its own thread
 * and a read from the page cache takes microseconds, where an awaited one waits a turn of the event
 * loop (the pickle walk idled a third of its time on them). Larger ones (a layer's tensor) are awaited.
 */
const SYNC_READ = 64 * 1024;
/** Reads of the streamed rest of a digest (two in flight: one is hashed while the next is read). */
const HASH_CHUNK = 4 << 20;

/** Sees every byte range read from disk, in the order read (the scan cache's proof of content). */
export type ReadObserver = (pos: number, data: Buffer) => void;

export interface RepoFileOptions {
  /**
   * The whole file, when another scanner on this thread has just read it (a source file): the
   * file is then not opened again. Used only when its length is the size the walk saw.
   */
  bytes?: Buffer;
  /** Compute the file's sha256 (see sha256()). */
  hash?: boolean;
  observe?: ReadObserver;
}

export class RepoFileAccess {
  /** The first min(size, HEAD_BYTES) bytes; reads inside it never touch the file again. */
  readonly head: Buffer;
  private fd: number | undefined;
  /** The whole file, given (RepoFileOptions.bytes) instead of opened. */
  private readonly bytes: Buffer | undefined;
  private hash: Hash | undefined;
  /** Bytes [0, hashedTo) have been fed to the digest. */
  private hashedTo = 0;

  constructor(
    path: string,
    readonly size: number,
    private readonly stats: IoStats,
    private readonly options: RepoFileOptions = {},
  ) {
    if (options.hash) this.hash = createHash("sha256");
    if (options.bytes !== undefined && options.bytes.length === size) {
      // Counted as read, as if from disk: the report's figures do not depend on which thread scanned what.
      this.bytes = options.bytes;
      this.head = this.bytes.subarray(0, Math.min(size, HEAD_BYTES));
      stats.bytesRead += this.head.length;
      this.saw(0, this.head);
      return;
    }
    this.fd = openRegularSync(path);
    try {
      const head = Buffer.allocUnsafe(Math.min(size, HEAD_BYTES));
      const n = readSync(this.fd, head, 0, head.length, 0);
      stats.bytesRead += n;
      this.head = head.subarray(0, n);
      this.saw(0, this.head);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private saw(pos: number, data: Buffer): void {
    this.options.observe?.(pos, data);
    const h = this.hash;
    if (h && pos <= this.hashedTo && pos + data.length > this.hashedTo) {
      h.update(data.subarray(this.hashedTo - pos));
      this.hashedTo = pos + data.length;
    }
  }

  async read(pos: number, len: number): Promise<Buffer> {
    const n = Math.max(0, Math.min(len, this.size - pos));
    const h = this.head.length;
    if (n === 0) return Buffer.alloc(0);
    if (pos + n <= h) return this.head.subarray(pos, pos + n);
    // A window that starts in the head (a parser reading from byte 0): only the rest comes from disk.
    if (pos < h) return Buffer.concat([this.head.subarray(pos), await this.read(h, pos + n - h)]);
    if (this.bytes) {
      const out = this.bytes.subarray(pos, pos + n);
      this.stats.bytesRead += out.length;
      this.saw(pos, out);
      return out;
    }
    if (this.fd === undefined) throw new Error("read after close");
    const b = Buffer.allocUnsafe(n);
    const got = n <= SYNC_READ ? readSync(this.fd, b, 0, n, pos) : await readAsync(this.fd, b, 0, n, pos);
    this.stats.bytesRead += got;
    const out = b.subarray(0, got);
    this.saw(pos, out);
    return out;
  }

  /**
   * The file's sha256 (the handle must have been opened with `hash`): what the parser already read
   * from the start counts, the rest is streamed in large reads, one hashed while the next is read.
   */
  async sha256(): Promise<string> {
    const h = this.hash;
    if (h && this.bytes) {
      this.stats.bytesRead += this.size - this.hashedTo;
      h.update(this.bytes.subarray(this.hashedTo));
      this.hashedTo = this.size;
      this.hash = undefined;
      return h.digest("hex");
    }
    if (!h || this.fd === undefined) throw new Error("sha256 of a file not opened for hashing");
    const fd = this.fd;
    const chunk = Math.min(HASH_CHUNK, Math.max(1, this.size - this.hashedTo));
    const bufs = [Buffer.allocUnsafe(chunk), Buffer.allocUnsafe(chunk)];
    let which = 0;
    let pos = this.hashedTo;
    const start = (at: number) => (at < this.size ? readAsync(fd, bufs[which]!, 0, Math.min(bufs[which]!.length, this.size - at), at) : Promise.resolve(0));
    let pending = start(pos);
    for (;;) {
      const n = await pending;
      if (n <= 0) break;
      const cur = bufs[which]!.subarray(0, n);
      this.stats.bytesRead += n;
      pos += n;
      which ^= 1;
      pending = start(pos);
      h.update(cur);
    }
    this.hashedTo = pos;
    this.hash = undefined;
    return h.digest("hex");
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function readAsync(fd: number, b: Buffer, off: number, len: number, pos: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, b, off, len, pos, (err, n) => (err ? reject(err) : resolve(n))));
}
