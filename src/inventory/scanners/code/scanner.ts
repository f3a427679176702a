// The code scanner: Python (and notebook code cells) and JavaScript/TypeScript, each file read and
// parsed once for every rule, and only when a cheap byte prefilter finds a name that can matter.
// Reports unsafe loaders, remote code, unpinned downloads, model output reaching sinks, tools
// given to a model, committed secrets, and the profile facts the code is evidence of.
import type { Observation, RepoFile, ScanContext, ScanResult, Scanner, Unscanned } from "../../types.js";
import { analyzeEnvFile, isEnvFile } from "./env-file.js";
import { adapterFor } from "./languages.js";
import type { EvidenceFound, FileAnalysis, Hit } from "./model.js";
import { notebookSource, type NotebookLine } from "./notebook.js";
import { languageOf, parseSource } from "./parser.js";
import { codePatterns } from "./patterns.js";
import { escapeRegExp } from "../../../util/escape.js";
import { parseSuppression } from "./suppressions.js";
import { crossFileJoin } from "./cross-file.js";
import { emptySummary, type FlowSummary } from "./summary.js";
import { append } from "../../../util/append.js";

const SCANNER = "code";
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
const MAX_NOTEBOOK_BYTES = 16 * 1024 * 1024;
/** A line this long is generated or minified code: parsing it says nothing a person wrote. */
const MAX_LINE_CHARS = 10_000;

export interface CodeFacts {
  inferred: Record<string, { value: boolean; evidence: string }>;
  tools: { name: string; framework: string; privileges: string[]; writes: boolean; location: string }[];
  models: { id: string; revision?: string; location: string }[];
  stats: { candidates: number; prefilterSkipped: number; parsed: number; bytesRead: number };
}

interface Mapped {
  line: number;
  column: number;
  note: string;
  extra: Record<string, unknown>;
}

/** What scanning one source file found (serialisable: it crosses worker threads and the scan cache). */
export interface CodeFileOutcome {
  observations: Observation[];
  unscanned: Unscanned[];
  facts: Pick<CodeFacts, "inferred" | "tools" | "models">;
  stats: CodeFacts["stats"];
  /** False when the result depends on time (a parse that ran out of time): never cached. */
  cacheable: boolean;
  /** The file's data-flow summary for the cross-file join (cross-file.ts), when it has one. */
  summary?: { path: string } & FlowSummary;
}

/** True for the files the code scanner reads (by name only). */
export function isCodeCandidate(path: string): boolean {
  return languageOf(path) !== undefined || isEnvFile(path);
}

/**
 * The prefilter's tokens as one expression of literal alternatives, tested on the bytes as Latin-1
 * text (one character a byte, so a match is the token's bytes): one pass over a file, where a
 * search per token cost ~8 µs a file in calls alone.
 */
let prefilter: RegExp | undefined;

// The empty parts of an outcome with nothing to say, frozen: every reader only reads them.
const NOTHING = Object.freeze([]) as unknown as never[];
const NO_FACTS: CodeFileOutcome["facts"] = Object.freeze({ inferred: Object.freeze({}), tools: NOTHING, models: NOTHING });
const frozenSummary = (lang: FlowSummary["lang"]): FlowSummary => ({
  ...emptySummary(lang),
  functions: Object.freeze({}),
  classes: Object.freeze({}),
  uses: NOTHING,
  resultSinks: NOTHING,
});
const EMPTY_PYTHON = frozenSummary("python");
const EMPTY_JS = frozenSummary("js");

/** Scans one source file; `read` gives its bytes. Undefined for a file the scanner does not read. */
export async function scanCodeFile(
  file: RepoFile,
  read: (path: string, position: number, length: number) => Promise<Buffer>,
): Promise<CodeFileOutcome | undefined> {
  const start = codeFileStart(file);
  if (!("read" in start)) return start.done;
  return codeFileFinish(file, start.read, await read(file.path, 0, file.size));
}

/** A source file to read whole and scan: its language (undefined for an .env file) and the outcome under way. */
export interface CodeFileRead {
  lang: ReturnType<typeof languageOf>;
  env: boolean;
  out: CodeFileOutcome;
}

/**
 * What the scanner does with a file by its name and size, before reading it: nothing (not source
 * code), an outcome at once (over the size limit), or `read`: read it whole and call codeFileFinish.
 */
export function codeFileStart(file: RepoFile): { done: CodeFileOutcome | undefined } | { read: CodeFileRead } {
  const lang = languageOf(file.path);
  const env = !lang && isEnvFile(file.path);
  if (!lang && !env) return { done: undefined };
  const out: CodeFileOutcome = {
    observations: [],
    unscanned: [],
    facts: { inferred: {}, tools: [], models: [] },
    stats: { candidates: 1, prefilterSkipped: 0, parsed: 0, bytesRead: 0 },
    cacheable: true,
  };
  const cap = lang === "notebook" ? MAX_NOTEBOOK_BYTES : MAX_SOURCE_BYTES;
  if (file.size > cap) {
    out.unscanned.push({ path: file.path, scanner: SCANNER, reason: `source file is ${file.size} bytes, over the ${cap}-byte limit` });
    return { done: out };
  }
  return { read: { lang, env, out } };
}

/**
 * The file's outcome from its bytes: at once when the prefilter passes it over (most files) or it
 * is binary, else a promise of the parse. Synchronous where it can be: a repository's thousands of
 * skipped files then cost no chain of awaits each.
 */
export function codeFileFinish(file: RepoFile, start: CodeFileRead, buf: Buffer): CodeFileOutcome | Promise<CodeFileOutcome> {
  const { lang, env, out } = start;
  prefilter ??= new RegExp(
    codePatterns()
      .prefilter.tokens.filter((t) => t !== "")
      .map(escapeRegExp)
      .join("|") || "(?!)",
  );
  out.stats.bytesRead += buf.length;
  if (buf.subarray(0, 8192).includes(0)) {
    out.unscanned.push({ path: file.path, scanner: SCANNER, reason: "binary content (NUL bytes) in a file named as source code" });
    return out;
  }
  if (!prefilter.test(buf.toString("latin1"))) {
    // Most files end here: their outcome shares its empty parts (a repository of 50,000 files
    // would otherwise hold a dozen empty objects for each).
    const skipped = skippedOutcome(file.path, !lang || lang === "notebook" ? "none" : lang === "python" ? "python" : "js");
    skipped.stats.bytesRead = out.stats.bytesRead;
    return skipped;
  }
  return parseAndAnalyse(file, lang, env, out, buf);
}

/** The language a skipped file's outcome names ("none" for a notebook or an .env file, which name none). */
export type SkippedLanguage = FlowSummary["lang"] | "none";
export const SKIPPED_LANGUAGES: readonly SkippedLanguage[] = ["python", "js", "none"];

/**
 * Whether an outcome is a file the prefilter passed over, with nothing to say: only skippedOutcome
 * counts a file as skipped (a worker thread's copy included).
 */
export function isPrefilterSkipped(o: CodeFileOutcome): boolean {
  return o.stats.prefilterSkipped === 1;
}

export function skippedLanguage(o: CodeFileOutcome): SkippedLanguage {
  return o.summary?.lang ?? "none";
}

/**
 * The outcome of a file the prefilter passed over, from its path and language (no bytes counted).
 * Still a module other files may name (cross-file.ts): known by its path, with nothing to say.
 */
export function skippedOutcome(path: string, lang: SkippedLanguage): CodeFileOutcome {
  const o: CodeFileOutcome = {
    observations: NOTHING,
    unscanned: NOTHING,
    facts: NO_FACTS,
    stats: { candidates: 1, prefilterSkipped: 1, parsed: 0, bytesRead: 0 },
    cacheable: true,
  };
  if (lang !== "none") o.summary = { path, ...(lang === "python" ? EMPTY_PYTHON : EMPTY_JS) };
  return o;
}

/** The parse and analysis of a file past the prefilter, into `out`. */
async function parseAndAnalyse(file: RepoFile, lang: CodeFileRead["lang"], env: boolean, out: CodeFileOutcome, buf: Buffer): Promise<CodeFileOutcome> {
  const text = buf.toString("utf8").replace(/^\uFEFF/, "");
  let analysis: FileAnalysis;
  let map: (row: number, column: number) => Mapped = (row, column) => ({ line: row + 1, column: column + 1, note: "", extra: {} });
  try {
    if (env) {
      analysis = { hits: analyzeEnvFile(text), tools: [], evidence: [], comments: [], models: [] };
    } else {
      let source = text;
      let cellOf: ((row: number) => number) | undefined;
      if (lang === "notebook") {
        const nb = notebookSource(text);
        if ("error" in nb) {
          out.observations.push({
            scanner: SCANNER,
            kind: "code.malformed",
            location: { path: file.path, line: nb.line, column: nb.column },
            message: `${file.path}: ${nb.error}; its code cells were not scanned`,
            key: nb.error,
            data: { error: nb.error },
          });
          out.unscanned.push({ path: file.path, scanner: SCANNER, reason: nb.error });
          return out;
        }
        source = nb.text;
        map = notebookMapper(nb.lines);
        cellOf = (row) => nb.lines[row]?.cell ?? 0;
      } else if (source.split("\n").some((l) => l.length > MAX_LINE_CHARS)) {
        out.unscanned.push({
          path: file.path,
          scanner: SCANNER,
          reason: `minified or generated code (a line longer than ${MAX_LINE_CHARS} characters) is not scanned`,
        });
        return out;
      }
      const langId = lang === "notebook" ? "python" : lang!;
      const tree = await parseSource(langId, source);
      if (!tree) {
        out.unscanned.push({ path: file.path, scanner: SCANNER, reason: "parsing took longer than the time limit" });
        out.cacheable = false;
        return out;
      }
      try {
        analysis = adapterFor(langId).analyze(tree, source, { path: file.path, cellOf, summarise: lang !== "notebook" });
      } finally {
        tree.delete();
      }
      out.stats.parsed++;
    }
  } catch (e) {
    out.unscanned.push({ path: file.path, scanner: SCANNER, reason: `could not analyse: ${(e as Error).message}` });
    return out;
  }
  emit(file.path, analysis, map, out.observations, out.facts);
  if (analysis.summary) out.summary = { path: file.path, ...analysis.summary };
  return out;
}

/** The scanner's result from per-file outcomes in the order of the files (the first evidence of a fact wins). */
export function codeResult(outcomes: readonly (CodeFileOutcome | undefined)[]): ScanResult {
  const result: ScanResult = { observations: [], unscanned: [] };
  const facts: CodeFacts = { inferred: {}, tools: [], models: [], stats: { candidates: 0, prefilterSkipped: 0, parsed: 0, bytesRead: 0 } };
  const summaries: NonNullable<CodeFileOutcome["summary"]>[] = [];
  // Most outcomes say nothing (the prefilter passed their file over): each part is looked at only when it holds something.
  for (const o of outcomes) {
    if (!o) continue;
    if (o.observations.length) append(result.observations, o.observations);
    if (o.unscanned.length) append(result.unscanned, o.unscanned);
    const inferred = o.facts.inferred;
    for (const fact in inferred) if (Object.hasOwn(inferred, fact)) facts.inferred[fact] ??= inferred[fact]!;
    if (o.facts.tools.length) append(facts.tools, o.facts.tools);
    if (o.facts.models.length) append(facts.models, o.facts.models);
    facts.stats.candidates += o.stats.candidates;
    facts.stats.prefilterSkipped += o.stats.prefilterSkipped;
    facts.stats.parsed += o.stats.parsed;
    facts.stats.bytesRead += o.stats.bytesRead;
    if (o.summary) summaries.push(o.summary);
  }
  result.facts = facts as unknown as Record<string, unknown>;
  // Data flow across files: joined from the per-file summaries, after every file is in.
  result.observations = crossFileJoin(summaries, result.observations);
  return result;
}

export const codeScanner: Scanner = {
  meta: {
    id: SCANNER,
    description: "Python, notebooks and JS/TS: unsafe loaders, remote code, unpinned downloads, model output into sinks, tools, secrets, profile evidence",
  },
  async scan(ctx: ScanContext): Promise<ScanResult> {
    const outcomes: (CodeFileOutcome | undefined)[] = [];
    for (const file of ctx.files) {
      if (isCodeCandidate(file.path)) outcomes.push(await scanCodeFile(file, (p, pos, len) => ctx.readRange(p, pos, len)));
    }
    return codeResult(outcomes);
  },
};

/** The facts a model call is evidence of. */
const MODEL_FACTS = new Set<EvidenceFound["fact"]>(["isLLM", "isGenAI", "modelHostedExternally"]);

function notebookMapper(lines: NotebookLine[]): (row: number, column: number) => Mapped {
  return (row, column) => {
    const l = lines[row] ?? lines[lines.length - 1];
    if (!l) return { line: 1, column: 1, note: "", extra: {} };
    const p = l.locate(column);
    return { line: p.line, column: p.column, note: ` (cell ${l.cell}, line ${l.cellLine})`, extra: { cell: l.cell, cellLine: l.cellLine } };
  };
}

function emit(path: string, a: FileAnalysis, map: (row: number, column: number) => Mapped, out: Observation[], facts: CodeFileOutcome["facts"]): void {
  // Suppressions: a reason is required. A valid one is reported as a `suppression` observation;
  // the engine applies it to the findings of the rules it names on the lines it covers, whatever
  // pack those rules come from.
  for (const c of a.comments) {
    const s = parseSuppression(c.text, c.row, c.column, c.standalone);
    if (!s) continue;
    if (!s.reason || s.rules.length === 0) {
      const m = map(c.row, c.column);
      out.push({
        scanner: SCANNER,
        kind: "code.suppression-without-reason",
        location: { path, line: m.line, column: m.column },
        message: `suppression ${s.rules.length ? `of ${s.rules.join(", ")} ` : ""}without ${s.rules.length ? "a reason" : "a rule id"}${m.note}: it suppresses nothing until it says why`,
        key: `suppression:${s.rules.join(",")}`,
        data: { rules: s.rules, missing: s.rules.length ? "a reason" : "a rule id", ...m.extra },
      });
      continue;
    }
    const m = map(c.row, c.column);
    out.push({
      scanner: SCANNER,
      kind: "suppression",
      location: { path, line: m.line, column: m.column },
      message: `inline suppression of ${s.rules.join(", ")}: ${s.reason}`,
      key: `suppression:${s.rules.join(",")}`,
      data: { rules: s.rules, lines: s.lines.map((row) => map(row, 0).line), reason: s.reason },
    });
  }

  const push = (h: Hit) => {
    const m = map(h.row, h.column);
    // `{at:ROW}` in a message names a place of this file: `app.py:63` (a notebook's line and cell).
    const message = h.message.replace(/\{at:(\d+)\}/g, (_, row: string) => {
      const p = map(Number(row), 0);
      return `${path}:${p.line}${p.note}`;
    });
    // The same places in the data's words (the rule's message template uses them).
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(h.data ?? {}))
      data[k] =
        typeof v === "string"
          ? v.replace(/\{at:(\d+)\}/g, (_, row: string) => {
              const p = map(Number(row), 0);
              return `${path}:${p.line}${p.note}`;
            })
          : v;
    out.push({
      scanner: SCANNER,
      kind: h.kind,
      location: { path, line: m.line, column: m.column },
      message: `${message}${m.note}`,
      key: h.key,
      data: { ...data, ...m.extra },
    });
  };
  for (const h of a.hits) push(h);
  for (const t of a.tools) {
    const m = map(t.row, t.column);
    const location = `${path}:${m.line}:${m.column}`;
    facts.tools.push({ name: t.name, framework: t.framework, privileges: t.privileges, writes: t.writes, location });
    out.push({
      scanner: SCANNER,
      kind: "code.tool",
      location: { path, line: m.line, column: m.column },
      message: `the code gives the model the tool "${t.name}" (${t.framework})${t.writes ? `, which writes${t.writeEvidence ? ` (${t.writeEvidence})` : ""}` : ""}${m.note}`,
      key: `tool:${t.name}`,
      data: { name: t.name, framework: t.framework, privileges: t.privileges, writes: t.writes, writeEvidence: t.writeEvidence ?? null, ...m.extra },
    });
  }
  for (const model of a.models) {
    const m = map(model.row, 0);
    facts.models.push({ id: model.id, ...(model.revision ? { revision: model.revision } : {}), location: `${path}:${m.line}` });
  }
  // Evidence: the first of each fact in this file. Model calls that only evaluate the system (a
  // judge in an eval folder, a grading function) are not evidence of the system's own model.
  const evaluationFile = new RegExp(codePatterns().evaluationContext.paths, "i").test(path);
  const first = new Map<EvidenceFound["fact"], EvidenceFound>();
  for (const e of a.evidence) if (!first.has(e.fact) && !((e.evaluation || evaluationFile) && MODEL_FACTS.has(e.fact))) first.set(e.fact, e);
  for (const [fact, e] of first) {
    const m = map(e.row, e.column);
    const evidence = `${path}:${m.line}:${m.column} ${e.what}${m.note}`;
    facts.inferred[fact] ??= { value: true, evidence };
    out.push({
      scanner: SCANNER,
      kind: `evidence.${fact}`,
      location: { path, line: m.line, column: m.column },
      message: `${path}:${m.line} ${e.what}${m.note}: evidence that ${fact} is true`,
      key: `evidence:${fact}`,
      data: { fact, value: true, evidence, ...m.extra },
    });
  }
}
