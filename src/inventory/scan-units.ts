// The scanners that work file by file (models, code): one file's scan is a pure function of its
// path, size and the bytes it reads, so it can run on any thread and be cached per file. Each unit
// says which files it reads, scans one file into a serialisable outcome, and merges the outcomes,
// in the order of the files, into the scanner's result: the same bytes whatever ran where.
import { inRoot, readRangeSync } from "./context.js";
import { ProofRecorder, type Proof } from "./cache.js";
import {
  codeFileFinish,
  codeFileStart,
  codeResult,
  isCodeCandidate,
  isPrefilterSkipped,
  skippedLanguage,
  skippedOutcome,
  SKIPPED_LANGUAGES,
  type CodeFileOutcome,
  type SkippedLanguage,
} from "./scanners/code/scanner.js";
import { listOptions, ModelLists } from "./scanners/models/lists.js";
import { modelScanOptions, modelsResult, plainlyNotAModel, scanModelFile, unreadableModel, type ScannedModel } from "./scanners/models/index.js";
import type { RepoFile, ScannerSettings, ScanResult, Unscanned } from "./types.js";

export type UnitId = "models" | "code";

/** Whole files a batch has read, by repository path (see Unit.scanFile). */
export type ReadFiles = Map<string, Buffer>;

/** One file to scan, as sent to a worker. */
export interface FileTask {
  file: RepoFile;
  /** Compute the file's sha256 (models). */
  hash: boolean;
}

/** One file's outcome, as a worker returns it. */
export interface FileDone {
  /** The scanner's outcome (undefined: nothing to report for this file). */
  outcome: unknown;
  /** The proof of what the outcome depended on, when it may be cached. */
  proof?: Proof;
  bytesRead: number;
}

/** A file the models unit could not open, reported when it could be a model. */
export interface ModelOutcome {
  model?: ScannedModel;
  unreadable?: Unscanned;
}

export interface Unit {
  id: UnitId;
  /** Bumped when an outcome's meaning or shape changes (old cache entries are then foreign). */
  version: number;
  /** The files this unit opens, by name and size alone. */
  wants(file: RepoFile): boolean;
  /**
   * `read`: the files of this batch that a unit earlier in it read whole, by path; a unit may leave a
   * file's bytes there for a later one and take them instead of opening the file again.
   */
  /** A FileDone at once where no await is needed (most files), else its promise. */
  scanFile(root: string, task: FileTask, settings: ScannerSettings, record: boolean, read?: ReadFiles): FileDone | Promise<FileDone>;
  merge(outcomes: readonly unknown[], bytesRead: number): ScanResult;
  /** Shape check of a stored outcome (as `store` gave it) before it is used. */
  valid(stored: unknown, path: string): boolean;
  /** A cached outcome as this run's (counters of work done are this run's: none). */
  fromCache(outcome: unknown): unknown;
  /** The form an outcome is kept in by the cache, when smaller than the outcome itself; `restore` undoes it. */
  store?(outcome: unknown): unknown;
  restore?(stored: unknown, path: string): unknown;
}

/** A file with nothing to report, no proof and nothing read (most files, for the models unit): one shared record. */
const NOTHING_DONE: FileDone = Object.freeze({ outcome: undefined, bytesRead: 0 });

function fileDone(outcome: unknown, proof: Proof | undefined, bytesRead: number): FileDone {
  return outcome === undefined && proof === undefined && bytesRead === 0 ? NOTHING_DONE : { outcome, proof, bytesRead };
}

const listsFor = new WeakMap<ScannerSettings, ModelLists>();
/** The model scan's options per settings object: worked out once a batch's settings, not once a file. */
const optionsFor = new WeakMap<ScannerSettings, ReturnType<typeof modelScanOptions>>();

/** The models unit's scan of one file (a file plainlyNotAModel does not settle). */
async function scanModelTask(root: string, task: FileTask, settings: ScannerSettings, record: boolean, bytes: Buffer | undefined): Promise<FileDone> {
  let lists = listsFor.get(settings);
  if (!lists) listsFor.set(settings, (lists = new ModelLists(listOptions(settings))));
  const stats = { bytesRead: 0 };
  const rec = record ? new ProofRecorder() : undefined;
  let outcome: ModelOutcome | undefined;
  let cacheable = true;
  try {
    let options = optionsFor.get(settings);
    if (!options) optionsFor.set(settings, (options = modelScanOptions(settings, {})));
    const model = await scanModelFile(root, task.file, lists, options, stats, {
      hash: task.hash,
      observe: rec ? (pos, data) => rec.see(pos, data) : undefined,
      bytes,
    });
    if (model) {
      outcome = { model };
      // A decompression that ran out of time depends on the machine, not on the bytes.
      if (model.result?.findings.some((f) => /gave up after [\d.]+ s/.test(f.message))) cacheable = false;
    }
  } catch (e) {
    const u = unreadableModel(task.file, e);
    if (u) outcome = { unreadable: u };
    cacheable = false;
  }
  return fileDone(outcome, cacheable ? rec?.proof() : undefined, stats.bytesRead);
}

const modelsUnit: Unit = {
  id: "models",
  version: 1,
  wants: () => true,
  scanFile(root, task, settings, record, read) {
    // A source file the code unit has just read: its bytes, not a second open and read.
    const bytes = read?.get(task.file.path);
    read?.delete(task.file.path);
    // Most source files: settled at once, unless the cache is to record what was read.
    if (bytes && !record && plainlyNotAModel(task.file, bytes)) return NOTHING_DONE;
    return scanModelTask(root, task, settings, record, bytes);
  },
  merge(outcomes, bytesRead) {
    const models: (ScannedModel | undefined)[] = [];
    const unreadable: Unscanned[] = [];
    for (const o of outcomes as (ModelOutcome | undefined)[]) {
      if (o?.model) models.push(o.model);
      if (o?.unreadable) unreadable.push(o.unreadable);
    }
    return modelsResult(models, unreadable, bytesRead);
  },
  fromCache: (outcome) => outcome,
  valid(outcome, path) {
    if (outcome === undefined || outcome === null) return outcome === undefined;
    const o = outcome as ModelOutcome;
    if (typeof o !== "object" || o.unreadable !== undefined || !o.model) return false;
    const a = o.model.artifact;
    const r = o.model.result;
    return (
      !!a &&
      a.path === path &&
      typeof a.format === "string" &&
      ["safe", "suspicious", "unsafe", "error", "unscanned"].includes(a.verdict) &&
      typeof a.size === "number" &&
      (a.sha256 === null || (typeof a.sha256 === "string" && /^[0-9a-f]{64}$/.test(a.sha256))) &&
      (a.globals === undefined || (Array.isArray(a.globals) && a.globals.every((g) => typeof g === "string"))) &&
      (a.details === undefined || isRecord(a.details)) &&
      (o.model.unscanned === undefined || typeof o.model.unscanned === "string") &&
      (r === undefined ||
        (isRecord(r) &&
          typeof r.format === "string" &&
          typeof r.pickle === "boolean" &&
          isRecord(r.details) &&
          (r.unscannable === undefined || typeof r.unscannable === "string") &&
          Array.isArray(r.globals) &&
          r.globals.every(
            (g) =>
              isRecord(g) &&
              ["module", "name", "resolved", "opcode", "reason", "verdict"].every((k) => typeof g[k] === "string") &&
              typeof g.offset === "number",
          ) &&
          Array.isArray(r.findings) &&
          r.findings.every(
            (f) =>
              isRecord(f) && typeof f.code === "string" && typeof f.message === "string" && ["suspicious", "unsafe", "error"].includes(f.verdict as string),
          )))
    );
  },
};

function codeDone(outcome: CodeFileOutcome | undefined, rec: ProofRecorder | undefined): FileDone {
  return { outcome, proof: outcome?.cacheable ? rec?.proof() : undefined, bytesRead: outcome?.stats.bytesRead ?? 0 };
}

/** A source file that could not be read: unscanned, with the reason, and never cached. */
function codeFailed(path: string, e: unknown, rec: ProofRecorder | undefined): FileDone {
  return codeDone(
    {
      observations: [],
      unscanned: [{ path, scanner: "code", reason: `unreadable: ${String((e as Error)?.message ?? e).slice(0, 200)}` }],
      facts: { inferred: {}, tools: [], models: [] },
      stats: { candidates: 1, prefilterSkipped: 0, parsed: 0, bytesRead: 0 },
      cacheable: false,
    },
    rec,
  );
}

const codeUnit: Unit = {
  id: "code",
  version: 4,
  wants: (file) => isCodeCandidate(file.path),
  scanFile(root, task, _settings, record, read) {
    const rec = record ? new ProofRecorder() : undefined;
    // Synchronous up to the parse: most files are settled by the prefilter without an await.
    try {
      const start = codeFileStart(task.file);
      if (!("read" in start)) return codeDone(start.done, rec);
      const data = readRangeSync(inRoot(root, task.file.path), 0, task.file.size);
      rec?.see(0, data);
      // The whole file: left for the models unit's sniff later in the batch.
      if (read && data.length === task.file.size) read.set(task.file.path, data);
      const outcome = codeFileFinish(task.file, start.read, data);
      if (!(outcome instanceof Promise)) return codeDone(outcome, rec);
      return outcome.then(
        (o) => codeDone(o, rec),
        (e: unknown) => codeFailed(task.file.path, e, rec),
      );
    } catch (e) {
      return codeFailed(task.file.path, e, rec);
    }
  },
  merge: (outcomes) => codeResult(outcomes as (CodeFileOutcome | undefined)[]),
  fromCache: (outcome) => (outcome ? { ...(outcome as CodeFileOutcome), stats: { candidates: 1, prefilterSkipped: 0, parsed: 0, bytesRead: 0 } } : outcome),
  // Most entries are files the prefilter passed over: kept as their language alone, not as an
  // empty outcome that repeats the path (the unit's cache file is half the size to write, read and check).
  store: (outcome) => (outcome && isPrefilterSkipped(outcome as CodeFileOutcome) ? { skipped: skippedLanguage(outcome as CodeFileOutcome) } : outcome),
  restore: (stored, path) => (isRecord(stored) && "skipped" in stored ? skippedOutcome(path, stored.skipped as SkippedLanguage) : stored),
  valid(outcome, path) {
    if (outcome === undefined) return true;
    if (isRecord(outcome) && "skipped" in outcome) return Object.keys(outcome).length === 1 && SKIPPED_LANGUAGES.includes(outcome.skipped as SkippedLanguage);
    const o = outcome as CodeFileOutcome;
    if (!isRecord(o) || o.cacheable !== true || !isRecord(o.facts) || !isRecord(o.stats) || !isRecord(o.facts.inferred)) return false;
    const here = (l: unknown) => isRecord(l) && l.path === path && typeof l.line === "number" && typeof l.column === "number";
    return (
      Array.isArray(o.observations) &&
      o.observations.every(
        (x) =>
          isRecord(x) &&
          typeof x.scanner === "string" &&
          typeof x.kind === "string" &&
          typeof x.message === "string" &&
          typeof x.key === "string" &&
          here(x.location) &&
          (x.data === undefined || isRecord(x.data)),
      ) &&
      Array.isArray(o.unscanned) &&
      o.unscanned.every((u) => isRecord(u) && u.path === path && typeof u.reason === "string" && typeof u.scanner === "string") &&
      Array.isArray(o.facts.tools) &&
      o.facts.tools.every((t) => isRecord(t) && typeof t.name === "string" && typeof t.location === "string" && t.location.startsWith(`${path}:`)) &&
      Array.isArray(o.facts.models) &&
      o.facts.models.every((m) => isRecord(m) && typeof m.id === "string" && typeof m.location === "string") &&
      Object.values(o.facts.inferred).every((v) => isRecord(v) && typeof v.value === "boolean" && typeof v.evidence === "string") &&
      ["candidates", "prefilterSkipped", "parsed", "bytesRead"].every((k) => typeof (o.stats as unknown as Record<string, unknown>)[k] === "number")
    );
  },
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export const UNITS: Record<UnitId, Unit> = { models: modelsUnit, code: codeUnit };

/** Scans a batch's tasks in order on this thread; a file read whole by one unit is not read again by the next. */
export async function scanBatch(b: {
  units: readonly UnitId[];
  tasks: readonly FileTask[];
  root: string;
  settings: ScannerSettings;
  record: boolean;
}): Promise<FileDone[]> {
  const read: ReadFiles = new Map();
  const done: FileDone[] = [];
  for (let k = 0; k < b.tasks.length; k++) {
    const d = UNITS[b.units[k]!].scanFile(b.root, b.tasks[k]!, b.settings, b.record, read);
    done.push(d instanceof Promise ? await d : d);
  }
  return done;
}
