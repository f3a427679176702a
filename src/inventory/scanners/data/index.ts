// The data scanner: finds datasets, corpora and retrieval stores by content, samples each within
// its budgets, and reports what it holds (personal data, secrets) by file, column and count,
// never by value. Rules in policies/builtin/data.yaml and the data-* check kinds decide severity.
import { posix } from "node:path";
import type { Observation, ScanContext, ScanResult, Scanner } from "../../types.js";
import { redactText } from "../../../util/redact.js";
import { recognisedOnly } from "./binary-formats.js";
import { classify, extensionOf, isCandidate, type DataFormat } from "./classify.js";
import { dataConfig, type DataConfig } from "./config.js";
import { csvReader } from "./csv.js";
import { DataDetections, type Detection } from "./detect.js";
import { readJson, readJsonLines } from "./json.js";
import { parseLfsPointer } from "./lfs-pointer.js";
import { MODEL_EXT } from "../models/formats/index.js";
import { findStores } from "./retrieval-stores.js";
import type { DataFile, FormatReader, FormatSample } from "./sample.js";
import { dataBudgets, type DataBudgets } from "./settings.js";
import { readSqlite } from "./sqlite.js";
import { readText } from "./text.js";
import { byPath, isSortedByPath } from "../../context.js";

const SCANNER = "data";
const HEAD_BYTES = 64;

const READERS: Record<DataFormat, FormatReader> = {
  csv: csvReader("csv"),
  tsv: csvReader("tsv"),
  jsonl: readJsonLines,
  json: readJson,
  // Parquet's reader (hyparquet) is loaded the first time a Parquet file is sampled.
  parquet: async (file, detections, budgets) => (await import("./parquet.js")).readParquet(file, detections, budgets),
  sqlite: readSqlite,
  text: readText,
  arrow: recognisedOnly("arrow"),
  excel: recognisedOnly("excel"),
};

/** Human names for detection kinds, for messages. */
const LABELS: Record<string, string> = {
  email: "E-mail addresses",
  phone: "Phone numbers",
  iban: "IBANs",
  "payment-card": "Payment card numbers",
  "us-ssn": "US Social Security numbers",
  "uk-nino": "UK National Insurance numbers",
  "nl-bsn": "Dutch BSNs",
  "ip-address": "IP addresses",
  "date-of-birth": "Dates of birth",
  "person-name": "Person names",
  "postal-address": "Postal addresses",
  "national-id": "National identification numbers",
};

function at(path: string, line = 1): Observation["location"] {
  return { path, line, column: 1 };
}

function where(d: Detection): string {
  return d.column === null ? `line ${d.line}` : `column "${d.column}"`;
}

/** Wraps ctx.readRange so every byte a reader asks for is counted. */
function countedFile(ctx: ScanContext, path: string, size: number): DataFile {
  let bytesRead = 0;
  return {
    path,
    size,
    get bytesRead() {
      return bytesRead;
    },
    async read(position: number, length: number): Promise<Buffer> {
      if (position >= size || length <= 0) return Buffer.alloc(0);
      const buf = await ctx.readRange(path, position, Math.min(length, size - position));
      bytesRead += buf.length;
      return buf;
    },
  };
}

function personalObservation(path: string, d: Detection, sample: FormatSample): Observation {
  const label = (Object.hasOwn(LABELS, d.kind) ? LABELS[d.kind] : undefined) ?? d.kind;
  const message = d.valuesSampled
    ? `${label} in ${where(d)} of ${path}: ${d.count} in ${sample.rowsSampled} sampled row${sample.rowsSampled === 1 ? "" : "s"} (values masked)`
    : `${where(d)} of ${path} is named like ${label.toLowerCase()}; its values were not sampled`;
  return {
    scanner: SCANNER,
    kind: "data.personal-data",
    location: at(path, d.line),
    message,
    key: `${path}#${d.column ?? "(lines)"}#${d.kind}`,
    data: {
      kind: d.kind,
      column: d.column,
      count: d.count,
      rows: d.rows,
      evidence: d.evidence,
      valuesSampled: d.valuesSampled,
      masked: d.shape ?? null,
      rowsSampled: sample.rowsSampled,
      format: sample.format,
      label,
      place: where(d),
      sampledRows: `${sample.rowsSampled} sampled row${sample.rowsSampled === 1 ? "" : "s"}`,
    },
  };
}

function secretObservation(path: string, d: Detection): Observation {
  return {
    scanner: SCANNER,
    kind: "data.secret",
    location: at(path, d.line),
    message: `${d.kind} in ${where(d)} of ${path}: ${d.count} (values masked)`,
    key: `${path}#${d.column ?? "(lines)"}#${d.kind}`,
    data: { kind: d.kind, column: d.column, count: d.count, rows: d.rows, masked: d.shape ?? null, place: where(d) },
  };
}

async function sampleFile(
  ctx: ScanContext,
  path: string,
  size: number,
  format: DataFormat,
  config: DataConfig,
  budgets: DataBudgets,
  out: ScanResult,
): Promise<number> {
  const file = countedFile(ctx, path, size);
  const detections = new DataDetections(config, budgets.maxCellChars);
  let sample: FormatSample;
  try {
    sample = await READERS[format](file, detections, budgets);
  } catch (e) {
    // A reader bug or an I/O error must not stop the run: the file is unscanned, with the reason.
    out.unscanned.push({ path, scanner: SCANNER, reason: `could not read ${format} data: ${redactText(String((e as Error)?.message ?? e).slice(0, 200))}` });
    out.observations.push(fileObservation(path, size, { format, rowsSampled: 0, complete: false, notes: [] }, file.bytesRead, false));
    return file.bytesRead;
  }
  out.observations.push(fileObservation(path, size, sample, file.bytesRead, true));
  if (sample.malformed) {
    const m = sample.malformed;
    out.observations.push({
      scanner: SCANNER,
      kind: "data.malformed",
      location: { path, line: m.line, column: m.column ?? 1 },
      message: `${path}:${m.line}: ${m.reason}`,
      key: `${path}#malformed`,
      data: { format: sample.format, line: m.line, reason: m.reason },
    });
  }
  if (sample.unscannedReason) out.unscanned.push({ path, scanner: SCANNER, reason: sample.unscannedReason });
  else if (sample.malformed && sample.rowsSampled === 0) out.unscanned.push({ path, scanner: SCANNER, reason: sample.malformed.reason });
  for (const d of detections.personalData()) out.observations.push(personalObservation(path, d, sample));
  for (const d of detections.secrets()) out.observations.push(secretObservation(path, d));
  return file.bytesRead;
}

function fileObservation(path: string, size: number, s: FormatSample, bytesRead: number, sampled: boolean): Observation {
  const rows = s.totalRows !== undefined ? `${s.rowsSampled} of ${s.totalRows} rows sampled` : `${s.rowsSampled} rows sampled`;
  return {
    scanner: SCANNER,
    kind: "data.file",
    location: at(path),
    message: `${path}: ${s.format} data, ${size} bytes, ${sampled ? rows : "not sampled"}`,
    key: path,
    data: {
      format: s.format,
      size,
      bytesRead,
      rowsSampled: s.rowsSampled,
      totalRows: s.totalRows ?? null,
      columns: s.columns ?? null,
      complete: s.complete,
      sampled,
      notes: s.notes,
      ...(s.details ? { details: s.details } : {}),
    },
  };
}

export const dataScanner: Scanner = {
  meta: {
    id: SCANNER,
    description:
      "Finds datasets, corpora and retrieval stores by content (CSV, JSON Lines, Parquet, SQLite, Chroma, FAISS, LFS pointers...), samples them within budgets and reports personal data and secrets by column and count, never by value.",
  },
  async scan(ctx: ScanContext): Promise<ScanResult> {
    const config = dataConfig();
    const budgets = dataBudgets(ctx.settings);
    const out: ScanResult = { observations: [], unscanned: [] };
    // The walk gives them sorted; a caller that does not gets them sorted here.
    const files = isSortedByPath(ctx.files) ? ctx.files : [...ctx.files].sort(byPath);

    // Retrieval stores, by layout. Files inside store folders are the store's, not data files.
    const stores = findStores(
      files.map((f) => f.path),
      config,
    );
    const storeFolders = stores.filter((s) => s.root !== posix.dirname(s.path) && s.root !== s.path).map((s) => s.root + "/");
    const confirmed: typeof stores = [];
    for (const s of stores) {
      if (s.needsMagic) {
        const head = (await ctx.readRange(s.path, 0, 4)).toString("latin1");
        if (!s.needsMagic.some((p) => head.startsWith(p))) continue;
      }
      confirmed.push(s);
    }
    for (const s of confirmed) {
      out.observations.push({
        scanner: SCANNER,
        kind: "data.retrieval-store",
        location: at(s.path),
        message: `${s.root}: ${s.store} retrieval store (${s.files} file${s.files === 1 ? "" : "s"})`,
        key: `${s.store}#${s.root}`,
        data: { store: s.store, root: s.root, files: s.files, fileCount: `${s.files} file${s.files === 1 ? "" : "s"}` },
      });
    }

    // Image, audio and video folders: counted, not read.
    const media = new Map<string, { first: string; image: number; audio: number; video: number }>();
    for (const f of files) {
      const kind = config.media.get(extensionOf(f.path));
      if (!kind) continue;
      const dir = posix.dirname(f.path);
      const m = media.get(dir) ?? { first: f.path, image: 0, audio: 0, video: 0 };
      m[kind]++;
      media.set(dir, m);
    }
    for (const [dir, m] of media) {
      const total = m.image + m.audio + m.video;
      if (total < config.mediaMinFiles) continue;
      out.observations.push({
        scanner: SCANNER,
        kind: "data.media",
        location: at(m.first),
        message: `${dir}/: ${m.image} images, ${m.audio} audio and ${m.video} video files (counted, not read)`,
        key: `media#${dir}`,
        data: { folder: dir, images: m.image, audio: m.audio, video: m.video },
      });
    }

    // Data files, by content.
    let sampledFiles = 0;
    let bytesRead = 0;
    let rowsSampled = 0;
    for (const f of files) {
      if (storeFolders.some((root) => f.path.startsWith(root))) continue;
      if (!isCandidate(f.path, f.size, config)) continue;
      let head: Buffer;
      try {
        head = await ctx.readRange(f.path, 0, Math.min(f.size, f.size <= 1024 ? 1024 : HEAD_BYTES));
      } catch (e) {
        out.unscanned.push({ path: f.path, scanner: SCANNER, reason: `unreadable: ${String((e as Error)?.message ?? e).slice(0, 200)}` });
        continue;
      }
      bytesRead += head.length;
      const pointer = f.size <= 1024 ? parseLfsPointer(head.toString("utf8"), config.magic.lfs) : null;
      if (pointer) {
        if (MODEL_EXT.test(f.path)) continue; // model weights: the model scanner reports the pointer
        out.observations.push({
          scanner: SCANNER,
          kind: "data.lfs-pointer",
          location: at(f.path),
          message: `${f.path} is a Git LFS pointer: its content${pointer.size !== null ? ` (${pointer.size} bytes)` : ""} is not in the repository and was not scanned`,
          key: f.path,
          data: { oid: pointer.oid, size: pointer.size, content: pointer.size !== null ? `its content (${pointer.size} bytes)` : "its content" },
        });
        out.unscanned.push({ path: f.path, scanner: SCANNER, reason: "Git LFS pointer: the content is not in the repository" });
        continue;
      }
      const format = classify(f.path, f.size, head, config);
      if (!format) continue;
      if (sampledFiles >= budgets.maxFiles) {
        out.observations.push(fileObservation(f.path, f.size, { format, rowsSampled: 0, complete: false, notes: [] }, 0, false));
        out.unscanned.push({ path: f.path, scanner: SCANNER, reason: `file budget reached (${budgets.maxFiles} data files per run)` });
        continue;
      }
      sampledFiles++;
      const before = out.observations.length;
      bytesRead += await sampleFile(ctx, f.path, f.size, format, config, budgets, out);
      const fileObs = out.observations.slice(before).find((o) => o.kind === "data.file");
      rowsSampled += Number(fileObs?.data?.["rowsSampled"] ?? 0);
    }
    out.facts = { data: { filesSampled: sampledFiles, bytesRead, rowsSampled, retrievalStores: confirmed.length, budgets } };
    return out;
  },
};
