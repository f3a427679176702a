// A ZIP reader tolerant the way PyTorch's (miniz built with MINIZ_DISABLE_ZIP_READER_CRC32_CHECKS)
// is: names come from the central directory, CRCs are never checked, local-header names and flags
// are compared but never a reason to skip, Zip64 is honoured, prepended bytes are allowed (Python's
// zipfile and Keras accept them). Only the end record, the central directory and the local header
// of a member are read; member data is streamed (stored) or inflated under a cap (deflated).
import { createInflateRaw } from "node:zlib";
import { FileRangeReader, StreamReader, type ByteReader, type RandomAccess } from "./reader.js";

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  crc: number;
  localOffset: number;
  index: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Header inconsistencies worth reporting (never reasons to skip). */
  anomalies: string[];
  /** Bytes before the archive (prepended data). */
  prefix: number;
}

export class ZipError extends Error {}

const EOCD = 0x06054b50;
/** The end record's size without a comment: the smallest zip, and where a file ending in one has it. */
export const EOCD_BYTES = 22;

/** True when `tail`, a file's last EOCD_BYTES bytes, is a zip's end record (no comment): what zip readers look for first. */
export const isEndRecordTail = (tail: Buffer): boolean => tail.length === EOCD_BYTES && tail.readUInt32LE(0) === EOCD;
const CD = 0x02014b50;
const LOCAL = 0x04034b50;
const Z64_EOCD = 0x06064b50;
const Z64_LOC = 0x07064b50;
const MAX_ENTRIES = 65_536;
const MAX_CD = 64 << 20;

const readAt = (ra: RandomAccess, pos: number, len: number) => ra.read(pos, len);

/** Finds the end record in the last 65,557 bytes; undefined when the file is not a zip. */
export async function findEndRecord(ra: RandomAccess): Promise<{ pos: number; tail: Buffer; tailStart: number } | undefined> {
  const size = ra.size;
  const len = Math.min(size, 65_557);
  if (len < EOCD_BYTES) return undefined;
  const tailStart = size - len;
  const tail = await readAt(ra, tailStart, len);
  for (let i = tail.length - EOCD_BYTES; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      const commentLen = tail.readUInt16LE(i + 20);
      if (i + EOCD_BYTES + commentLen <= tail.length) return { pos: tailStart + i, tail, tailStart };
    }
  }
  return undefined;
}

export async function readZipDirectory(fh: RandomAccess): Promise<ZipDirectory> {
  const size = fh.size;
  const end = await findEndRecord(fh);
  if (!end) throw new ZipError("no end-of-central-directory record");
  const at = end.pos - end.tailStart;
  const t = end.tail;
  let count = t.readUInt16LE(at + 10);
  let cdSize = t.readUInt32LE(at + 12);
  let cdOffset = t.readUInt32LE(at + 16);
  let recordStart = end.pos;
  const anomalies: string[] = [];
  const locPos = end.pos - 20;
  const loc = locPos >= 0 ? await readAt(fh, locPos, 20) : Buffer.alloc(0);
  const hasZip64 = loc.length === 20 && loc.readUInt32LE(0) === Z64_LOC;
  if (!hasZip64 && (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)) throw new ZipError("Zip64 locator missing");
  if (hasZip64) {
    // PyTorch's writer always adds the Zip64 records; their values win over the classic ones.
    const z64Pos = Number(loc.readBigUInt64LE(8));
    let rec = z64Pos + 56 <= size ? await readAt(fh, z64Pos, 56) : Buffer.alloc(0);
    let shift = 0;
    if (rec.length < 56 || rec.readUInt32LE(0) !== Z64_EOCD) {
      // With prepended bytes the locator's offset is off by the prefix: the record sits right before it.
      rec = locPos >= 56 ? await readAt(fh, locPos - 56, 56) : Buffer.alloc(0);
      if (rec.length < 56 || rec.readUInt32LE(0) !== Z64_EOCD) throw new ZipError("Zip64 end record missing");
      shift = locPos - 56 - z64Pos;
    }
    count = Number(rec.readBigUInt64LE(32));
    cdSize = Number(rec.readBigUInt64LE(40));
    cdOffset = Number(rec.readBigUInt64LE(48));
    recordStart = z64Pos + shift;
  }
  // Prepended data shifts every offset (Python's zipfile computes the same "concat").
  const prefix = recordStart - (cdOffset + cdSize);
  if (prefix < 0) throw new ZipError("central directory overlaps its end record");
  if (prefix > 0) anomalies.push(`${prefix} bytes before the archive`);
  if (end.pos + EOCD_BYTES + t.readUInt16LE(at + 20) < size) anomalies.push("bytes after the end record");
  if (count > MAX_ENTRIES) throw new ZipError(`more than ${MAX_ENTRIES} entries`);
  if (cdSize > MAX_CD) throw new ZipError(`central directory larger than ${MAX_CD} bytes`);
  const cd = await readAt(fh, cdOffset + prefix, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  while (p + 46 <= cd.length && entries.length < count) {
    if (cd.readUInt32LE(p) !== CD) throw new ZipError(`bad central directory entry at ${cdOffset + prefix + p}`);
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let sizeU = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    const name = cd.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? "utf8" : "latin1");
    const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    // Zip64 extended information (0x0001): the fields that were 0xFFFFFFFF, in order.
    for (let e = 0; e + 4 <= extra.length;) {
      const id = extra.readUInt16LE(e);
      const len = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const next = () => {
          const v = q + 8 <= e + 4 + len && q + 8 <= extra.length ? Number(extra.readBigUInt64LE(q)) : 0;
          q += 8;
          return v;
        };
        if (sizeU === 0xffffffff) sizeU = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      e += 4 + len;
    }
    if (flags & 0x41) anomalies.push(`${name}: encryption flag set in the central directory (PyTorch refuses it; read anyway)`);
    entries.push({ name, method, flags, compressedSize, size: sizeU, crc, localOffset: localOffset + prefix, index: entries.length });
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (entries.length < count) anomalies.push(`central directory lists ${entries.length} of ${count} entries`);
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) anomalies.push(`duplicate entry ${e.name} (the last copy wins in PyTorch; every copy is scanned)`);
    seen.add(e.name);
  }
  return { entries, anomalies, prefix };
}

export interface MemberData {
  reader: ByteReader;
  dataOffset: number;
  anomalies: string[];
  close(): void;
}

/** Opens a member's data: its local header is read for the data offset only (like miniz). */
export async function openMember(fh: RandomAccess, e: ZipEntry, inflateCap: number): Promise<MemberData> {
  const fileSize = fh.size;
  const anomalies: string[] = [];
  const lh = await readAt(fh, e.localOffset, 30);
  if (lh.length < 30 || lh.readUInt32LE(0) !== LOCAL) throw new ZipError(`${e.name}: no local header at byte ${e.localOffset}`);
  const lflags = lh.readUInt16LE(6);
  const nameLen = lh.readUInt16LE(26);
  const extraLen = lh.readUInt16LE(28);
  const localName = (await readAt(fh, e.localOffset + 30, nameLen)).toString(lflags & 0x800 ? "utf8" : "latin1");
  if (localName !== e.name) anomalies.push(`${e.name}: local header names it ${JSON.stringify(localName)} (the central directory name is used)`);
  if ((lflags & 0x41) !== (e.flags & 0x41))
    anomalies.push(`${e.name}: local header flags 0x${lflags.toString(16)} differ from the central directory's 0x${e.flags.toString(16)}`);
  const dataOffset = e.localOffset + 30 + nameLen + extraLen;
  const end = Math.min(fileSize, dataOffset + e.compressedSize);
  if (dataOffset + e.compressedSize > fileSize) anomalies.push(`${e.name}: data runs past the end of the file`);
  const raw = new FileRangeReader(fh, dataOffset, end);
  if (e.method === 0) return { reader: raw, dataOffset, anomalies, close() {} };
  if (e.method !== 8) throw new ZipError(`${e.name}: compression method ${e.method} is not supported`);
  const inflate = createInflateRaw();
  async function* feed(): AsyncGenerator<Buffer> {
    for (;;) {
      if (!(await raw.ensure(1))) return;
      const n = Math.min(raw.available, 64 * 1024);
      yield Buffer.from(await raw.take(n));
    }
  }
  const src = feed();
  void (async () => {
    try {
      for await (const c of src) if (!inflate.write(c)) await new Promise((res) => inflate.once("drain", res));
      inflate.end();
    } catch (err) {
      inflate.destroy(err as Error);
    }
  })();
  const reader = new StreamReader(inflate[Symbol.asyncIterator]() as AsyncIterator<Buffer>, inflateCap, () => {
    inflate.destroy();
    void src.return(undefined);
  });
  return { reader, dataOffset, anomalies, close: () => reader.close() };
}
