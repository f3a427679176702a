// Retrieval stores and vector indexes (Chroma, FAISS, LanceDB, Qdrant, Milvus, LlamaIndex and
// pickled docstores), recognised by the layout their libraries write. The Exchange treats a
// retrieval store like training data: poisoning and, when sensitive, leak threats apply to it.
import { posix } from "node:path";
import type { DataConfig, RetrievalStoreSignature } from "./config.js";
import { extensionOfName, lowerNameOf } from "./classify.js";
import { escapeRegExp } from "../../../util/escape.js";

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

/** What the signatures test of one path, worked out once for all of them. */
interface PathParts {
  path: string;
  base: string;
  extension: string;
  /** The path, lower-cased. */
  lower: string;
}

function partsOf(path: string): PathParts {
  const base = lowerNameOf(path);
  return { path, base, extension: extensionOfName(base), lower: path.toLowerCase() };
}

function rootFor(sig: RetrievalStoreSignature, p: PathParts): string | null {
  const path = p.path;
  if (sig.basename && p.base === sig.basename) return posix.dirname(path);
  if (sig.extension && p.extension === sig.extension) return path;
  // Split only a path with such a folder (a folder's name is followed by a slash): most have none.
  if (sig.folderSuffix && p.lower.includes(`${sig.folderSuffix}/`)) {
    const parts = p.lower.split("/");
    const i = parts.findIndex((part, k) => k < parts.length - 1 && part.endsWith(sig.folderSuffix!));
    if (i >= 0)
      return path
        .split("/")
        .slice(0, i + 1)
        .join("/");
  }
  if (sig.pathPattern) {
    const m = sig.pathPattern.exec(path);
    if (m) return path.slice(0, m.index + m[0].length).replace(/\/$/, "");
  }
  return null;
}

/** What any signature can match, so that most paths are passed over after one look at their name. */
interface StoreFilter {
  names: Set<string>;
  extensions: Set<string>;
  /** The path patterns as one expression (or none), and the folder suffixes as another: one test each per path. */
  pattern: { test(path: string): boolean } | undefined;
  folder: RegExp | undefined;
}
const filters = new WeakMap<readonly RetrievalStoreSignature[], StoreFilter>();

function filterFor(stores: readonly RetrievalStoreSignature[]): StoreFilter {
  let f = filters.get(stores);
  if (!f) {
    const patterns: RegExp[] = [];
    const folders: string[] = [];
    f = { names: new Set(), extensions: new Set(), pattern: undefined, folder: undefined };
    for (const sig of stores) {
      if (sig.basename) f.names.add(sig.basename);
      if (sig.extension) f.extensions.add(sig.extension);
      if (sig.pathPattern) patterns.push(sig.pathPattern);
      if (sig.folderSuffix) folders.push(`${sig.folderSuffix}/`);
    }
    // Alternatives of patterns without flags keep their meaning unless one refers to a group by number or name.
    const joinable = patterns.every((re) => re.flags === "" && !/\\[1-9]|\\k</.test(re.source));
    if (patterns.length)
      f.pattern = joinable ? new RegExp(patterns.map((re) => `(?:${re.source})`).join("|")) : { test: (p: string) => patterns.some((re) => re.test(p)) };
    if (folders.length) f.folder = new RegExp(folders.map(escapeRegExp).join("|"), "i");
    filters.set(stores, f);
  }
  return f;
}

/** False when no signature can match the path (rootFor would give null for each). */
function mayMatch(path: string, f: StoreFilter): boolean {
  const base = lowerNameOf(path);
  if (f.names.has(base) || f.extensions.has(extensionOfName(base))) return true;
  return !!f.pattern?.test(path) || !!f.folder?.test(path);
}

/** Files that belong to a retrieval store, grouped by store and root. */
export function findStores(paths: readonly string[], config: DataConfig): StoreHit[] {
  let present: Set<string> | undefined;
  const hits = new Map<string, StoreHit>();
  const filter = filterFor(config.stores);
  for (const path of paths) {
    if (!mayMatch(path, filter)) continue;
    const parts = partsOf(path);
    for (const sig of config.stores) {
      const root = rootFor(sig, parts);
      if (root === null) continue;
      if (sig.sibling && !(present ??= new Set(paths)).has(posix.join(posix.dirname(path), sig.sibling))) continue;
      const key = `${sig.store}\u0000${root}`;
      const hit = hits.get(key);
      if (hit) hit.files++;
      else hits.set(key, { store: sig.store, root, path, files: 1, needsMagic: sig.magicPrefixes });
      break;
    }
  }
  return [...hits.values()];
}
