// Decides which repository files are data, and in which format: by content (magic bytes, the LFS
// pointer line, the first character of JSON) with the name as a hint, never the name alone.
import type { DataConfig } from "./config.js";

export type DataFormat = "csv" | "tsv" | "jsonl" | "json" | "parquet" | "sqlite" | "arrow" | "excel" | "text";

/** A repository file's name, lower-cased (its path is POSIX and never ends in a slash). */
export function lowerNameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1).toLowerCase();
}

/** The extension of a lower-cased name, without its dot ("" for none, and for a name that starts with its only dot). */
export function extensionOfName(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1) : "";
}

export function extensionOf(path: string): string {
  return extensionOfName(lowerNameOf(path));
}

/** True when a folder on the path is a data folder (data/, corpus/, training/...). */
export function inDataFolder(path: string, config: DataConfig): boolean {
  const parts = path.toLowerCase().split("/");
  parts.pop();
  return parts.some((p) => config.corpusFolders.has(p));
}

/** Whether the file is worth a look at its first bytes: a data name, no extension, or small enough to be an LFS pointer. */
export function isCandidate(path: string, size: number, config: DataConfig): boolean {
  const name = lowerNameOf(path);
  if (config.notData.has(name)) return false;
  const ext = extensionOfName(name);
  if (config.extensions.has(ext)) return true;
  if (ext === "" || ext === "dat" || ext === "data") return size > 0;
  return size >= 100 && size <= 1024;
}

/** The data format of a file from its head (first bytes) and name, or null when it is not data. */
export function classify(path: string, size: number, head: Buffer, config: DataConfig): DataFormat | null {
  const m = config.magic;
  if (head.subarray(0, m.parquet.length).equals(m.parquet)) return "parquet";
  if (head.subarray(0, m.sqlite.length).equals(m.sqlite)) return "sqlite";
  if (head.subarray(0, m.arrow.length).equals(m.arrow) || head.subarray(0, m.featherV1.length).equals(m.featherV1)) return "arrow";
  const ext = extensionOf(path);
  const byName = config.extensions.get(ext) as DataFormat | undefined;
  if (head.subarray(0, m.xls.length).equals(m.xls) || head.subarray(0, m.zip.length).equals(m.zip)) {
    return byName === "excel" ? "excel" : null;
  }
  switch (byName) {
    case "csv":
    case "tsv":
    case "jsonl":
    case "text":
      if (byName === "text" && !inDataFolder(path, config) && size < config.corpusMinBytes) return null;
      return byName;
    case "json": {
      // Records (a top-level array) are data anywhere; an object is data only in a data folder.
      const first = head.toString("utf8").trimStart()[0];
      if (first === "[" || inDataFolder(path, config) || size >= config.corpusMinBytes) return "json";
      return null;
    }
    case "parquet":
      return "parquet"; // named .parquet without the magic: the reader reports it truncated
    case "sqlite":
      return ext === "db" ? null : "sqlite"; // .db is too common a name to claim without the magic
    case "arrow":
    case "excel":
      return byName; // named so but without the magic: still reported, as not sampled
    default:
      return null;
  }
}
