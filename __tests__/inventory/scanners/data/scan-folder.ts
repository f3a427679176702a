// Runs the data scanner over a fixture folder the way the inventory does: one walk, ranged reads.
import { open, readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { dataScanner } from "../../../../src/inventory/scanners/data/index.js";
import type { RepoFile, ScanContext, ScanResult } from "../../../../src/inventory/types.js";

async function walk(root: string, dir: string, out: RepoFile[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) await walk(root, abs, out);
    else if (e.isFile()) out.push({ path: relative(root, abs).split(sep).join("/"), size: (await stat(abs)).size });
  }
}

export async function contextFor(root: string, settings: Record<string, unknown> = {}): Promise<ScanContext & { bytesRead: () => number }> {
  const files: RepoFile[] = [];
  await walk(root, root, files);
  let total = 0;
  return {
    root,
    files,
    settings,
    bytesRead: () => total,
    async readRange(path: string, position: number, length: number): Promise<Buffer> {
      const fh = await open(join(root, path), "r");
      try {
        const buf = Buffer.alloc(length);
        const { bytesRead } = await fh.read(buf, 0, length, position);
        total += bytesRead;
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
  };
}

export async function scanFolder(root: string, settings: Record<string, unknown> = {}): Promise<ScanResult> {
  return dataScanner.scan(await contextFor(root, settings));
}
