// Retrieval stores and vector indexes (Chroma, FAISS, LanceDB, Qdrant, Milvus, LlamaIndex and
// pickled docstores), recognised by the layout their libraries write. The Exchange treats a
// retrieval store like training data: poisoning and, when sensitive, leak threats apply to it.
import { posix } from "node:path";
import type { DataConfig, RetrievalStoreSignature } from "./config.js";
import { extensionOf } from "./classify.js";

export interface StoreHit {
  store: string;
  /** The store's folder or file. */
  root: string;
  /** The first file of the store, where it is located. */
  path: string;
  files: number;
  /** True when the signature needs the file's first bytes to confirm (FAISS .index). */
  needsMagic?: string[];
}

function rootFor(sig: RetrievalStoreSignature, path: string): string | null {
  const base = posix.basename(path).toLowerCase();
  if (sig.basename && base === sig.basename) return posix.dirname(path);
  if (sig.extension && extensionOf(path) === sig.extension) return path;
  if (sig.folderSuffix) {
    const parts = path.split("/");
    const i = parts.findIndex((p, k) => k < parts.length - 1 && p.toLowerCase().endsWith(sig.folderSuffix!));
    if (i >= 0) return parts.slice(0, i + 1).join("/");
  }
  if (sig.pathPattern) {
    const m = sig.pathPattern.exec(path);
    if (m) return path.slice(0, m.index + m[0].length).replace(/\/$/, "");
  }
  return null;
}

/** Files that belong to a retrieval store, grouped by store and root. */
export function findStores(paths: readonly string[], config: DataConfig): StoreHit[] {
  const present = new Set(paths);
  const hits = new Map<string, StoreHit>();
  for (const path of paths) {
    for (const sig of config.stores) {
      const root = rootFor(sig, path);
      if (root === null) continue;
      if (sig.sibling && !present.has(posix.join(posix.dirname(path), sig.sibling))) continue;
      const key = `${sig.store}\u0000${root}`;
      const hit = hits.get(key);
      if (hit) hit.files++;
      else hits.set(key, { store: sig.store, root, path, files: 1, needsMagic: sig.magicPrefixes });
      break;
    }
  }
  return [...hits.values()];
}
