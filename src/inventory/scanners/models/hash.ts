// sha256 of model files, streamed in 1 MiB reads. A Git LFS pointer carries the digest of the real
// content (`oid sha256:<hex>`): it is used as is, and the content is not in the repository.
import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import type { IoStats } from "./reader.js";

const CHUNK = 1 << 20;

export async function sha256File(fh: FileHandle, size: number, stats: IoStats): Promise<string> {
  const h = createHash("sha256");
  const buf = Buffer.allocUnsafe(CHUNK);
  for (let pos = 0; pos < size; ) {
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

/** Parses a Git LFS pointer file (spec: https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). */
export function parseLfsPointer(head: Buffer): LfsPointer | undefined {
  if (head.length > 1024) return undefined;
  const text = head.toString("utf8");
  if (!text.startsWith("version https://git-lfs.github.com/spec/v1\n")) return undefined;
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1];
  const size = /^size (\d+)$/m.exec(text)?.[1];
  return oid && size ? { sha256: oid, size: Number(size) } : undefined;
}
