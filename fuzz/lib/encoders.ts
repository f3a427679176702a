// Compressors for the wrappers the model scanner opens (gzip, zlib, bz2, xz), used to build fuzz
// seeds and property-test inputs. gzip and zlib come from node:zlib; Node has no bzip2 or xz
// encoder, so these are minimal ones written for small inputs: bzip2 with a plain (naive-sort)
// Burrows-Wheeler transform and fixed-length Huffman codes, xz with uncompressed LZMA2 chunks.
// Both produce valid streams that any conforming decoder reads; neither tries to compress well.
import { deflateSync, gzipSync } from "node:zlib";

export type Codec = "gzip" | "zlib" | "bz2" | "xz";
export const CODECS: readonly Codec[] = ["gzip", "zlib", "bz2", "xz"];

export function compress(codec: Codec, data: Buffer): Buffer {
  switch (codec) {
    case "gzip":
      return gzipSync(data);
    case "zlib":
      return deflateSync(data);
    case "bz2":
      return bzip2(data);
    case "xz":
      return xzStored(data);
  }
}

// ---- CRC-32 (IEEE, reflected: zip, gzip, xz) and CRC-32/BZIP2 (not reflected) ----

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const BZ_CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function bzCrc(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = ((c << 8) ^ BZ_CRC_TABLE[((c >>> 24) ^ b) & 0xff]!) >>> 0;
  return (c ^ 0xffffffff) >>> 0;
}

// ---- bzip2 ----

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(bits: number, value: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >>> i) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.acc);
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  finish(): Buffer {
    if (this.n > 0) this.bytes.push(this.acc << (8 - this.n));
    return Buffer.from(this.bytes);
  }
}

/** bzip2's first run-length step: 4 to 255 equal bytes become 4 bytes and a count. */
function rle1(data: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.length;) {
    let run = 1;
    while (i + run < data.length && data[i + run] === data[i] && run < 255) run++;
    if (run >= 4) {
      out.push(data[i]!, data[i]!, data[i]!, data[i]!, run - 4);
    } else {
      for (let k = 0; k < run; k++) out.push(data[i]!);
    }
    i += run;
  }
  return out;
}

function bwt(s: number[]): { last: number[]; origPtr: number } {
  const n = s.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => {
    for (let k = 0; k < n; k++) {
      const x = s[(a + k) % n]!;
      const y = s[(b + k) % n]!;
      if (x !== y) return x - y;
    }
    return 0;
  });
  return { last: idx.map((i) => s[(i + n - 1) % n]!), origPtr: idx.indexOf(0) };
}

const BZ_BLOCK_INPUT = 200_000; // raw bytes per block: its RLE1 output stays far under 900k

function bzip2(data: Buffer): Buffer {
  const w = new BitWriter();
  w.write(8, 0x42);
  w.write(8, 0x5a);
  w.write(8, 0x68);
  w.write(8, 0x39); // "BZh9"
  let combined = 0;
  for (let start = 0; start < data.length; start += BZ_BLOCK_INPUT) {
    const raw = data.subarray(start, start + BZ_BLOCK_INPUT);
    const crc = bzCrc(raw);
    combined = (((combined << 1) | (combined >>> 31)) ^ crc) >>> 0;
    const block = rle1(raw);
    const { last, origPtr } = bwt(block);
    const used = [...new Set(block)].sort((a, b) => a - b);
    const ordinal = new Map(used.map((b, i) => [b, i]));
    // Move-to-front, then runs of zeros in bijective base 2 (RUNA = 1, RUNB = 2).
    const mtf = used.map((_, i) => i);
    const syms: number[] = [];
    let zeros = 0;
    const flush = () => {
      for (let r = zeros; r > 0;) {
        if (r & 1) {
          syms.push(0);
          r = (r - 1) / 2;
        } else {
          syms.push(1);
          r = (r - 2) / 2;
        }
      }
      zeros = 0;
    };
    for (const b of last) {
      const o = ordinal.get(b)!;
      const j = mtf.indexOf(o);
      if (j === 0) {
        zeros++;
        continue;
      }
      flush();
      mtf.splice(j, 1);
      mtf.unshift(o);
      syms.push(j + 1);
    }
    flush();
    const alphaSize = used.length + 2;
    syms.push(alphaSize - 1); // end of block
    w.write(24, 0x314159);
    w.write(24, 0x265359);
    w.write(32, crc);
    w.write(1, 0); // not randomised
    w.write(24, origPtr);
    let ranges = 0;
    for (const b of used) ranges |= 0x8000 >>> (b >> 4);
    w.write(16, ranges);
    for (let r = 0; r < 16; r++) {
      if (!(ranges & (0x8000 >>> r))) continue;
      let bits = 0;
      for (const b of used) if (b >> 4 === r) bits |= 0x8000 >>> (b & 15);
      w.write(16, bits);
    }
    // Two identical tables of equal-length codes; every group of 50 symbols uses table 0.
    const len = Math.max(1, Math.ceil(Math.log2(alphaSize)));
    const selectors = Math.ceil(syms.length / 50);
    w.write(3, 2);
    w.write(15, selectors);
    for (let i = 0; i < selectors; i++) w.write(1, 0);
    for (let t = 0; t < 2; t++) {
      w.write(5, len);
      for (let i = 0; i < alphaSize; i++) w.write(1, 0); // each length equals the previous one
    }
    for (const s of syms) w.write(len, s);
  }
  w.write(24, 0x177245);
  w.write(24, 0x385090);
  w.write(32, combined);
  return w.finish();
}

// ---- xz (LZMA2 uncompressed chunks) ----

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const pad4 = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);

function xzStored(data: Buffer): Buffer {
  const flags = Buffer.from([0x00, 0x01]); // CRC32 check
  const parts: Buffer[] = [Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), flags, le32(crc32(flags))];
  const records: number[][] = [];
  if (data.length > 0) {
    // Block header: size, flags (one filter), LZMA2 filter (id 0x21, 1 property byte), padding, CRC32.
    const hdr = Buffer.from([0x02, 0x00, 0x21, 0x01, 0x00, 0x00, 0x00, 0x00]);
    const header = Buffer.concat([hdr, le32(crc32(hdr))]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < data.length; i += 65536) {
      const c = data.subarray(i, i + 65536);
      chunks.push(Buffer.from([i === 0 ? 0x01 : 0x02, (c.length - 1) >> 8, (c.length - 1) & 0xff]), c);
    }
    chunks.push(Buffer.from([0x00]));
    const body = Buffer.concat(chunks);
    parts.push(header, body, pad4(body.length), le32(crc32(data)));
    records.push([...varint(header.length + body.length + 4), ...varint(data.length)]);
  }
  const indexBody = Buffer.from([0x00, ...varint(records.length), ...records.flat()]);
  const index = Buffer.concat([indexBody, pad4(indexBody.length)]);
  const indexFull = Buffer.concat([index, le32(crc32(index))]);
  const backward = Buffer.concat([le32(indexFull.length / 4 - 1), flags]);
  parts.push(indexFull, le32(crc32(backward)), backward, Buffer.from("YZ"));
  return Buffer.concat(parts);
}
