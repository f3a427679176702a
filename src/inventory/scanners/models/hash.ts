// sha256 of model files, streamed in 1 MiB reads. A Git LFS pointer carries the digest of the real
// content (`oid sha256:<hex>`): it is used as is, and the content is not in the repository.
import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import type { IoStats } from "./reader.js";

const CHUNK = 1 << 20;

export async function sha256File(fh: FileHandle, size: number, stats: IoStats): Promise<string> {
  const h = createHash("sha256");
  const buf = Buffer.allocUnsafe(CHUNK);
  for (let pos = 0; pos < size;) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, size - pos), pos);
    if (bytesRead <= 0) break;
    stats.bytesRead += bytesRead;
    h.update(buf.subarray(0, bytesRead));
    pos += bytesRead;
  }
  return h.digest("hex");
}

export interface LfsPointer {
  sha256: string;
  size: number;
}

/** "v": every Git LFS pointer starts with its version line; a file that does not is no pointer, without decoding it. */
const V = 0x76;

/** False when the bytes cannot be a Git LFS pointer, well-formed or not (parseLfsPointer, lfsPointerProblem). */
export const mayBeLfsPointer = (head: Buffer): boolean => head[0] === V;

/** Parses a Git LFS pointer file (spec: https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). */
export function parseLfsPointer(head: Buffer): LfsPointer | undefined {
  if (head.length > 1024 || !mayBeLfsPointer(head)) return undefined;
  const text = head.toString("utf8");
  if (!text.startsWith("version https://git-lfs.github.com/spec/v1\n")) return undefined;
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1];
  const size = /^size (\d+)$/m.exec(text)?.[1];
  return oid && size ? { sha256: oid, size: Number(size) } : undefined;
}

/**
 * What is wrong with a file that starts like a Git LFS pointer but does not parse as one (the
 * version line, then `oid sha256:` with 64 hex digits and `size`), or undefined. Only the start is
 * required: a pointer cut short or edited by hand still stands for weights that are not here.
 */
export function lfsPointerProblem(head: Buffer): string | undefined {
  if (!mayBeLfsPointer(head)) return undefined;
  const text = head.subarray(0, 1024).toString("utf8");
  if (!/^version https:\/\/git-lfs\b/.test(text) || parseLfsPointer(head)) return undefined;
  if (!text.startsWith("version https://git-lfs.github.com/spec/v1\n")) return "unknown version line";
  const oid = /^oid (.*)$/m.exec(text)?.[1];
  if (oid === undefined) return "no oid line";
  if (!/^sha256:[0-9a-f]{64}$/.test(oid)) return "the oid is not sha256: and 64 lowercase hex digits";
  if (!/^size (\d+)$/m.test(text)) return /^size /m.test(text) ? "the size is not a number" : "no size line";
  return "not a valid pointer";
}
