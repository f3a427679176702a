// Reads an npm package tarball (gzip-compressed tar) into memory: regular files only, paths made
// relative to the package folder (npm strips the first path segment, usually `package/`), every
// size bounded. Nothing is written to disk and no link is followed: a link entry is left out.
import { gunzipSync } from "node:zlib";
import { posix } from "node:path";

export const TARBALL_LIMITS = { compressedBytes: 20 * 1024 * 1024, bytes: 100 * 1024 * 1024, files: 5000, fileBytes: 10 * 1024 * 1024 } as const;

export class TarballError extends Error {}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString("utf8");
}

function octal(block: Buffer, start: number, length: number): number {
  const raw = block.subarray(start, start + length);
  // GNU base-256 for large sizes: first byte has the high bit set.
  if (raw[0]! & 0x80) {
    let n = 0;
    for (let i = 1; i < raw.length; i++) n = n * 256 + raw[i]!;
    return n;
  }
  const s = field(block, start, length).trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarballError(`the tarball has a malformed header field "${s.slice(0, 20)}"`);
  return parseInt(s, 8);
}

/** pax extended header records: "<length> <key>=<value>\n". */
function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(data.subarray(i, sp).toString("ascii"));
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) break;
    const rec = data.subarray(sp + 1, i + len - 1).toString("utf8");
    const eq = rec.indexOf("=");
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** The package's files by path relative to the package folder (POSIX). */
export function readTarball(tgz: Uint8Array): Map<string, Buffer> {
  if (tgz.byteLength > TARBALL_LIMITS.compressedBytes) throw new TarballError(`the tarball is larger than ${TARBALL_LIMITS.compressedBytes} bytes`);
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz, { maxOutputLength: TARBALL_LIMITS.bytes });
  } catch (e) {
    throw new TarballError(`the tarball cannot be decompressed (${(e as Error).message})`);
  }
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | null = null;
  let pax: Record<string, string> = {};
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const dataStart = offset + 512;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new TarballError("the tarball is truncated");
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / 512) * 512;
    if (type === "x") {
      pax = paxRecords(data);
      continue;
    }
    if (type === "g") continue;
    if (type === "L") {
      longName = field(data, 0, data.length);
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = pax.path ?? longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    pax = {};
    longName = null;
    if (type !== "0" && type !== "\0") continue;
    // npm drops the first segment whatever it is called; a path that climbs out is left out.
    const rel = posix.normalize(name.replace(/\\/g, "/").split("/").slice(1).join("/"));
    if (!rel || rel === "." || rel.startsWith("../") || rel === ".." || rel.startsWith("/")) continue;
    if (size > TARBALL_LIMITS.fileBytes) throw new TarballError(`${rel} in the tarball is larger than ${TARBALL_LIMITS.fileBytes} bytes`);
    if (files.size >= TARBALL_LIMITS.files) throw new TarballError(`the tarball has more than ${TARBALL_LIMITS.files} files`);
    files.set(rel, Buffer.from(data));
  }
  return files;
}
