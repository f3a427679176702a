// Pull-based byte readers. The pickle walker and the format parsers read through these so that
// memory stays bounded whatever the file size: a file is read in windows (64 KiB, growing to 1 MiB) at explicit
// positions, a decompressed stream is consumed chunk by chunk, and long arguments are skipped
// (a seek on files, a discard on streams) instead of being buffered.

/** Random access to a blob: a file, a stored zip member (a window of a file) or a buffer. */
export interface RandomAccess {
  size: number;
  read(pos: number, len: number): Promise<Buffer>;
}

export function bufferAccess(data: Buffer): RandomAccess {
  return { size: data.length, read: async (pos, len) => data.subarray(Math.max(0, pos), Math.max(0, Math.min(data.length, pos + len))) };
}

/** A window [start, start+size) of another blob. */
export function windowAccess(ra: RandomAccess, start: number, size: number): RandomAccess {
  const len = Math.max(0, Math.min(size, ra.size - start));
  return { size: len, read: (pos, n) => ra.read(start + pos, Math.max(0, Math.min(n, len - pos))) };
}

/** Bytes actually read from disk, summed over a run (the benchmark's "bytes read"). */
export interface IoStats {
  bytesRead: number;
}

export class TruncatedError extends Error {
  constructor(
    public readonly offset: number,
    what: string,
  ) {
    super(`truncated: ${what} at byte ${offset} runs past the end of the data`);
  }
}

export class CapError extends Error {}

/** The source of a stream failed (a corrupt or truncated compressed stream): the data ends here. */
export class DecodeError extends CapError {}

/**
 * Thrown by the synchronous reads (`*Sync`) when the window ends before the data does. The caller
 * (the pickle walker) rewinds to the start of the opcode, awaits `ensure(upTo - pos)` and retries:
 * one await per window instead of one per opcode. Not an Error: it is control flow, thrown at every
 * window edge, and capturing a stack trace each time would cost more than the refill.
 */
export class NeedMore {
  constructor(public readonly upTo: number) {}
}

/** A file reader's window unless its caller asks for a smaller first one, which doubles on each refill up to MAX_WINDOW. */
const WINDOW = 64 * 1024;
// Not larger: glibc serves blocks from 128 KiB up with mmap, and once one is freed it serves blocks
// up to that size from the heap instead, which two scan threads fragment (peak RSS tens of MB
// higher now and then on the benchmark corpus). 64 KiB costs one system call per 64 KiB of a long pickle.
const MAX_WINDOW = 64 * 1024;

/** Bytes of windows one reader lets lazy values keep (see holdSync). */
const HOLD_BYTES = 4 * 1024 * 1024;

/** A sequential reader with a small lookahead buffer. `pos` is the offset in the decoded stream. */
export abstract class ByteReader {
  protected buf: Buffer = Buffer.alloc(0);
  protected bufPos = 0;
  /** Offset (in the stream) of the next unread byte. */
  pos = 0;
  /** `more` has reported the end of the data: short synchronous reads are truncations, not refills. */
  protected ended = false;

  /** Appends at least one more chunk to the buffer; false at the end of the data. */
  protected abstract more(min: number): Promise<boolean>;
  /** Skips `n` bytes beyond what is buffered; false when the data ended first. */
  protected abstract skipUnbuffered(n: number): Promise<boolean>;

  get available(): number {
    return this.buf.length - this.bufPos;
  }

  /** Makes `n` bytes available; false when the data ends first. */
  async ensure(n: number): Promise<boolean> {
    while (this.available < n) {
      if (this.bufPos > 0) {
        this.buf = this.buf.subarray(this.bufPos);
        this.bufPos = 0;
      }
      if (!(await this.more(n - this.available))) {
        this.ended = true;
        return false;
      }
    }
    return true;
  }

  // ---- Synchronous reads from the buffered window. They never await: when the window is short they
  // throw NeedMore (or TruncatedError once the data has ended, with the offsets the async reads give).

  private short(n: number, what: string): never {
    if (this.ended) throw new TruncatedError(this.pos, what);
    throw new NeedMore(this.pos + n);
  }

  u8Sync(what = "argument"): number {
    if (this.bufPos < this.buf.length) {
      this.pos++;
      return this.buf[this.bufPos++]!;
    }
    return this.short(1, what);
  }

  takeSync(n: number, what = "argument"): Buffer {
    if (this.buf.length - this.bufPos < n) this.short(n, what);
    const out = this.buf.subarray(this.bufPos, this.bufPos + n);
    this.bufPos += n;
    this.pos += n;
    return out;
  }

  /** Byte `i` ahead of the position when it is buffered, else -1 (a look that never refills). */
  byteAt(i: number): number {
    return this.bufPos + i < this.buf.length ? this.buf[this.bufPos + i]! : -1;
  }

  /**
   * Windows that values may still point into (holdSync), in bytes of their memory: once this is spent,
   * nothing more is held (a long pickle's memo would otherwise keep every window).
   */
  private holdBudget = HOLD_BYTES;
  private heldWindow: Buffer | undefined;
  /** The memory under the last window held (a refill that keeps the rest of a window keeps its memory). */
  private heldMemory: ArrayBufferLike | undefined;
  /** False for a reader whose source may write over bytes it handed out (a decompressor's buffers). */
  protected stableWindows = true;

  /** The buffered bytes: [start, start + n) after `holdSync(n)` returned `start`. */
  get held(): Buffer {
    return this.buf;
  }

  /**
   * Consumes `n` bytes and returns where they are in `held`, which the caller may keep and read
   * later (a string decoded only if something asks for it: most of a pickle's strings, a state
   * dict's keys, never are); or -1, consuming nothing, when the window could change under it or the
   * budget for kept windows is spent: the caller reads the bytes now.
   */
  holdSync(n: number, what = "argument"): number {
    if (this.buf.length - this.bufPos < n) this.short(n, what);
    if (this.buf !== this.heldWindow) {
      const memory = this.buf.buffer;
      if (memory !== this.heldMemory) {
        if (!this.stableWindows || memory.byteLength > this.holdBudget) return -1;
        this.holdBudget -= memory.byteLength;
        this.heldMemory = memory;
      }
      this.heldWindow = this.buf;
    }
    const at = this.bufPos;
    this.bufPos += n;
    this.pos += n;
    return at;
  }

  /** Decodes `n` bytes as a string without slicing a Buffer first. */
  textSync(n: number, enc: BufferEncoding, what = "argument"): string {
    if (this.buf.length - this.bufPos < n) this.short(n, what);
    const out = this.buf.toString(enc, this.bufPos, this.bufPos + n);
    this.bufPos += n;
    this.pos += n;
    return out;
  }

  u16Sync(): number {
    if (this.buf.length - this.bufPos < 2) this.short(2, "argument");
    const v = this.buf.readUInt16LE(this.bufPos);
    this.bufPos += 2;
    this.pos += 2;
    return v;
  }

  u32Sync(): number {
    if (this.buf.length - this.bufPos < 4) this.short(4, "argument");
    const v = this.buf.readUInt32LE(this.bufPos);
    this.bufPos += 4;
    this.pos += 4;
    return v;
  }

  i32Sync(): number {
    if (this.buf.length - this.bufPos < 4) this.short(4, "argument");
    const v = this.buf.readInt32LE(this.bufPos);
    this.bufPos += 4;
    this.pos += 4;
    return v;
  }

  u64Sync(): bigint {
    if (this.buf.length - this.bufPos < 8) this.short(8, "argument");
    const v = this.buf.readBigUInt64LE(this.bufPos);
    this.bufPos += 8;
    this.pos += 8;
    return v;
  }

  /** `line` from the window. */
  lineSync(max = 4096): Buffer {
    const idx = this.buf.indexOf(0x0a, this.bufPos);
    if (idx >= 0 && idx - this.bufPos <= max) {
      const out = this.buf.subarray(this.bufPos, idx);
      this.pos += idx + 1 - this.bufPos;
      this.bufPos = idx + 1;
      return out;
    }
    if (this.available > max) throw new CapError(`line longer than ${max} bytes at byte ${this.pos}`);
    return this.short(this.available + 1, "line");
  }

  /**
   * Skips `n` bytes: synchronously when they are buffered (undefined), else through `skip`, which
   * seeks past what is not buffered instead of reading it (a promise).
   */
  skipSync(n: number, what = "argument"): Promise<void> | undefined {
    if (n <= this.available) {
      this.bufPos += n;
      this.pos += n;
      return undefined;
    }
    return this.skip(n, what);
  }

  /** Moves back to `to`, which must still be in the window (the start of an opcode that ran short). */
  rewind(to: number): void {
    const back = this.pos - to;
    if (back < 0 || back > this.bufPos) throw new Error(`cannot rewind to byte ${to}: not in the window`);
    this.bufPos -= back;
    this.pos = to;
  }

  async atEnd(): Promise<boolean> {
    return !(await this.ensure(1));
  }

  /** Offset of the end of the data when it is known (a file range, a buffer, a stream that ended). */
  knownEnd(): number | undefined {
    return this.ended ? this.pos + this.available : undefined;
  }

  /** Reads exactly `n` bytes (callers keep `n` small: lengths are checked before this). Synchronous when buffered. */
  take(n: number, what = "argument"): Buffer | Promise<Buffer> {
    if (this.buf.length - this.bufPos >= n) {
      const out = this.buf.subarray(this.bufPos, this.bufPos + n);
      this.bufPos += n;
      this.pos += n;
      return out;
    }
    return this.takeSlow(n, what);
  }

  private async takeSlow(n: number, what: string): Promise<Buffer> {
    if (!(await this.ensure(n))) throw new TruncatedError(this.pos, what);
    return this.take(n, what) as Buffer;
  }

  /** Looks at up to `n` bytes without consuming them. */
  async peek(n: number): Promise<Buffer> {
    await this.ensure(n);
    return this.buf.subarray(this.bufPos, this.bufPos + Math.min(n, this.available));
  }

  u8(): number | Promise<number> {
    if (this.bufPos < this.buf.length) {
      this.pos++;
      return this.buf[this.bufPos++]!;
    }
    return (this.take(1) as Promise<Buffer>).then((b) => b[0]!);
  }

  /** Reads a line ending in \n (without it), at most `max` bytes. */
  async line(max = 4096): Promise<Buffer> {
    for (;;) {
      const idx = this.buf.indexOf(0x0a, this.bufPos);
      if (idx >= 0 && idx - this.bufPos <= max) {
        const out = this.buf.subarray(this.bufPos, idx);
        this.pos += idx + 1 - this.bufPos;
        this.bufPos = idx + 1;
        return out;
      }
      if (this.available > max) throw new CapError(`line longer than ${max} bytes at byte ${this.pos}`);
      if (!(await this.ensure(this.available + 1))) throw new TruncatedError(this.pos, "line");
    }
  }

  /** Skips `n` bytes without keeping them; throws when the data ends first. */
  async skip(n: number, what = "argument"): Promise<void> {
    const inBuf = Math.min(n, this.available);
    this.bufPos += inBuf;
    this.pos += inBuf;
    const rest = n - inBuf;
    if (rest > 0) {
      if (!(await this.skipUnbuffered(rest))) throw new TruncatedError(this.pos, what);
      this.pos += rest;
    }
  }
}

/** Reads a byte range of a blob sequentially, in windows; skips are seeks. */
export class FileRangeReader extends ByteReader {
  private filePos: number;
  private window: number;
  constructor(
    private readonly ra: RandomAccess,
    private readonly start: number,
    private readonly end: number,
    /** Size of the first read (a trial parse starts small: most files are rejected in their first bytes). */
    firstWindow = WINDOW,
  ) {
    super();
    this.filePos = start;
    this.window = firstWindow;
  }

  override knownEnd(): number {
    return this.end - this.start;
  }

  protected async more(min: number): Promise<boolean> {
    const want = Math.min(Math.max(min, this.window), this.end - this.filePos);
    this.window = Math.min(2 * this.window, MAX_WINDOW);
    if (want <= 0) return false;
    const got = await this.ra.read(this.filePos, want);
    const bytesRead = got.length;
    if (bytesRead <= 0) return false;
    const chunk = got;
    this.filePos += bytesRead;
    this.buf =
      this.buf.length - this.bufPos === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([this.buf.subarray(this.bufPos), chunk.subarray(0, bytesRead)]);
    this.bufPos = 0;
    return true;
  }

  protected async skipUnbuffered(n: number): Promise<boolean> {
    if (this.filePos + n > this.end) return false;
    this.filePos += n;
    return true;
  }

  /** Absolute file offset of the next unread byte. */
  get fileOffset(): number {
    return this.start + this.pos;
  }
}

/** Reads an in-memory buffer (nested pickles, headers already read). */
export class BufferReader extends ByteReader {
  constructor(data: Buffer) {
    super();
    this.buf = data;
  }
  override knownEnd(): number {
    return this.buf.length;
  }
  protected async more(): Promise<boolean> {
    return false;
  }
  protected async skipUnbuffered(): Promise<boolean> {
    return false;
  }
}

/**
 * Reads the output of an async chunk source (a decompressor), with caps on the bytes produced and
 * on the time spent. A failing source (a corrupt stream) ends the data with a DecodeError whose
 * message is `failure`, a plain sentence: decompressors' own messages are not for users.
 */
export class StreamReader extends ByteReader {
  private produced = 0;
  private done = false;
  private readonly started = performance.now();
  constructor(
    private readonly chunks: AsyncIterator<Buffer | Uint8Array>,
    private readonly cap: number,
    private readonly onClose?: () => void,
    private readonly limits: { seconds?: number; failure?: string } = {},
  ) {
    super();
    // Decompressors may hand out views of buffers they write again.
    this.stableWindows = false;
  }

  protected async more(): Promise<boolean> {
    if (this.done) return false;
    const seconds = this.limits.seconds;
    if (seconds !== undefined && performance.now() - this.started > seconds * 1000) {
      this.close();
      throw new CapError(`gave up after ${seconds} s of decompression (${mb(this.produced)} decompressed)`);
    }
    let r: IteratorResult<Buffer | Uint8Array>;
    try {
      r = await this.chunks.next();
    } catch {
      this.close();
      throw new DecodeError(`${this.limits.failure ?? "the compressed stream is corrupt or truncated"} (after ${mb(this.produced)} decompressed)`);
    }
    if (r.done) {
      this.done = true;
      this.onClose?.();
      return false;
    }
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    this.produced += chunk.length;
    if (this.produced > this.cap) {
      this.close();
      throw new CapError(`gave up after ${mb(this.cap)} of decompressed data (the cap)`);
    }
    this.buf = this.available === 0 ? chunk : Buffer.concat([this.buf.subarray(this.bufPos), chunk]);
    this.bufPos = 0;
    return true;
  }

  protected async skipUnbuffered(n: number): Promise<boolean> {
    let rest = n;
    while (rest > 0) {
      if (!(await this.more())) return false;
      const k = Math.min(rest, this.available);
      this.bufPos += k;
      rest -= k;
    }
    return true;
  }

  close(): void {
    if (!this.done) {
      this.done = true;
      this.chunks.return?.()?.catch(() => undefined);
      this.onClose?.();
    }
  }
}

function mb(bytes: number): string {
  return bytes < 1 << 20 ? `${bytes} bytes` : `${Math.round(bytes / (1 << 20))} MB`;
}
