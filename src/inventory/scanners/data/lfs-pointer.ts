// Git LFS pointer files (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md): the data
// lives on an LFS server, not in the repository. Reported as unscannable, never as clean.

export interface LfsPointer {
  oid: string | null;
  size: number | null;
}

/** Parses a pointer file's text, or null when it is not one. */
export function parseLfsPointer(text: string, versionLine: string): LfsPointer | null {
  if (!text.startsWith(versionLine)) return null;
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1] ?? null;
  const size = /^size (\d+)$/m.exec(text)?.[1];
  return { oid, size: size === undefined ? null : Number(size) };
}
