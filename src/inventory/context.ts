// The ScanContext every scanner gets: the walked files, the packs' settings, and bounded reads.
import { open } from "node:fs/promises";
import { join } from "node:path";
import type { RepoFile, ScanContext, ScannerSettings } from "./types.js";

export function scanContext(root: string, files: readonly RepoFile[], settings: ScannerSettings = {}): ScanContext {
  return {
    root,
    files,
    settings,
    async readRange(path, position, length) {
      const fh = await open(join(root, path), "r");
      try {
        const buf = Buffer.alloc(length);
        const { bytesRead } = await fh.read(buf, 0, length, position);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
  };
}
