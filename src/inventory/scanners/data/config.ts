// Loads the data scanner's data files (policies/data/*.json) once and compiles their patterns.
// Code evaluates data: detector patterns, column names and format signatures live there, each
// with its source.
import { loadData } from "../../../util/data.js";
import { VALIDATORS } from "./validators.js";

export interface ValueDetector {
  kind: string;
  pattern: RegExp;
  validate?: (candidate: string) => boolean;
  context?: RegExp;
}

export interface ColumnDetector {
  kind: string;
  names: Set<string>;
  contains: string[];
  valueShape?: RegExp;
  /** "value": the name adds evidence only; the checksum detectors count. */
  countBy?: "value";
}

export interface SecretDetector {
  kind: string;
  pattern: RegExp;
}

export interface RetrievalStoreSignature {
  store: string;
  basename?: string;
  extension?: string;
  magicPrefixes?: string[];
  sibling?: string;
  folderSuffix?: string;
  pathPattern?: RegExp;
}

export interface DataConfig {
  values: ValueDetector[];
  columns: ColumnDetector[];
  secrets: SecretDetector[];
  extensions: Map<string, string>;
  magic: { parquet: Buffer; sqlite: Buffer; arrow: Buffer; featherV1: Buffer; xls: Buffer; zip: Buffer; lfs: string };
  corpusFolders: Set<string>;
  corpusMinBytes: number;
  notData: Set<string>;
  media: Map<string, "image" | "audio" | "video">;
  mediaMinFiles: number;
  stores: RetrievalStoreSignature[];
}

interface RawFormats {
  extensions: Record<string, string[]>;
  magic: Record<string, { hex?: string; text?: string }>;
  textCorpusFolders: { names: string[]; textCorpusMinBytes: number };
  notData: { names: string[] };
  media: { image: string[]; audio: string[]; video: string[]; minFilesPerFolder: number };
  retrievalStores: (Omit<RetrievalStoreSignature, "pathPattern"> & { pathPattern?: string })[];
}

let cached: DataConfig | undefined;

function readJson<T>(name: "detectors.json" | "column-names.json" | "secrets.json" | "formats.json"): T {
  return loadData<T>(`policies/data/${name}`);
}

function hex(raw: RawFormats, key: string): Buffer {
  const h = raw.magic[key]?.hex;
  if (!h) throw new Error(`policies/data/formats.json: magic.${key}.hex is missing`);
  return Buffer.from(h, "hex");
}

export function dataConfig(): DataConfig {
  if (cached) return cached;
  const det = readJson<{ detectors: { kind: string; pattern: string; validator?: string; context?: string }[] }>("detectors.json");
  const cols = readJson<{ columns: { kind: string; names: string[]; contains?: string[]; valueShape?: string; countBy?: "value" }[] }>("column-names.json");
  const sec = readJson<{ secrets: { kind: string; pattern: string }[] }>("secrets.json");
  const fmt = readJson<RawFormats>("formats.json");
  const values = det.detectors.map((d) => {
    const validate = d.validator ? VALIDATORS[d.validator] : undefined;
    if (d.validator && !validate) throw new Error(`policies/data/detectors.json: unknown validator ${d.validator}`);
    return {
      kind: d.kind,
      pattern: new RegExp(d.pattern, "gu"),
      validate,
      context: d.context ? new RegExp(d.context, "iu") : undefined,
    };
  });
  const extensions = new Map<string, string>();
  for (const [format, exts] of Object.entries(fmt.extensions)) for (const e of exts) extensions.set(e, format);
  const media = new Map<string, "image" | "audio" | "video">();
  for (const k of ["image", "audio", "video"] as const) for (const e of fmt.media[k]) media.set(e, k);
  cached = {
    values,
    columns: cols.columns.map((c) => ({
      kind: c.kind,
      names: new Set(c.names),
      contains: c.contains ?? [],
      valueShape: c.valueShape ? new RegExp(c.valueShape, "u") : undefined,
      countBy: c.countBy,
    })),
    secrets: sec.secrets.map((s) => ({ kind: s.kind, pattern: new RegExp(s.pattern, "g") })),
    extensions,
    magic: {
      parquet: hex(fmt, "parquet"),
      sqlite: hex(fmt, "sqlite"),
      arrow: hex(fmt, "arrow"),
      featherV1: hex(fmt, "feather-v1"),
      xls: hex(fmt, "xls"),
      zip: hex(fmt, "zip"),
      lfs: fmt.magic["lfs-pointer"]?.text ?? "version https://git-lfs.github.com/spec/v1",
    },
    corpusFolders: new Set(fmt.textCorpusFolders.names),
    corpusMinBytes: fmt.textCorpusFolders.textCorpusMinBytes,
    notData: new Set(fmt.notData.names),
    media,
    mediaMinFiles: fmt.media.minFilesPerFolder,
    stores: fmt.retrievalStores.map((s) => ({ ...s, pathPattern: s.pathPattern ? new RegExp(s.pathPattern) : undefined })),
  };
  return cached;
}
