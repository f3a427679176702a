// The code scanner: Python (and notebook code cells) and JavaScript/TypeScript, each file read and
// parsed once for every rule, and only when a cheap byte prefilter finds a name that can matter.
// Reports unsafe loaders, remote code, unpinned downloads, model output reaching sinks, tools
// given to a model, committed secrets, and the profile facts the code is evidence of.
import type { Observation, ScanContext, ScanResult, Scanner } from "../../types.js";
import { analyzeEnvFile, isEnvFile } from "./env-file.js";
import { analyzeJs } from "./analyze-js.js";
import { analyzePython } from "./analyze-python.js";
import type { EvidenceFound, FileAnalysis, Hit } from "./model.js";
import { notebookSource, type NotebookLine } from "./notebook.js";
import { languageOf, parseSource } from "./parser.js";
import { codePatterns } from "./patterns.js";
import { parseSuppression } from "./suppressions.js";

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

export const codeScanner: Scanner = {
  meta: { id: SCANNER, description: "Python, notebooks and JS/TS: unsafe loaders, remote code, unpinned downloads, model output into sinks, tools, secrets, profile evidence" },
  async scan(ctx: ScanContext): Promise<ScanResult> {
    const result: ScanResult = { observations: [], unscanned: [] };
    const tokens = codePatterns().prefilter.tokens.map((t) => Buffer.from(t));
    const facts: CodeFacts = { inferred: {}, tools: [], models: [], stats: { candidates: 0, prefilterSkipped: 0, parsed: 0, bytesRead: 0 } };

    for (const file of ctx.files) {
      const lang = languageOf(file.path);
      const env = !lang && isEnvFile(file.path);
      if (!lang && !env) continue;
      facts.stats.candidates++;
      const cap = lang === "notebook" ? MAX_NOTEBOOK_BYTES : MAX_SOURCE_BYTES;
      if (file.size > cap) {
        result.unscanned.push({ path: file.path, scanner: SCANNER, reason: `source file is ${file.size} bytes, over the ${cap}-byte limit` });
        continue;
      }
      const buf = await ctx.readRange(file.path, 0, file.size);
      facts.stats.bytesRead += buf.length;
      if (buf.subarray(0, 8192).includes(0)) {
        result.unscanned.push({ path: file.path, scanner: SCANNER, reason: "binary content (NUL bytes) in a file named as source code" });
        continue;
      }
      if (!tokens.some((t) => buf.includes(t))) {
        facts.stats.prefilterSkipped++;
        continue;
      }
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
              result.observations.push({ scanner: SCANNER, kind: "code.malformed", location: { path: file.path, line: nb.line, column: nb.column }, message: `${file.path}: ${nb.error}; its code cells were not scanned`, key: nb.error, data: {} });
              result.unscanned.push({ path: file.path, scanner: SCANNER, reason: nb.error });
              continue;
            }
            source = nb.text;
            map = notebookMapper(nb.lines);
            cellOf = (row) => nb.lines[row]?.cell ?? 0;
          } else if (source.split("\n").some((l) => l.length > MAX_LINE_CHARS)) {
            result.unscanned.push({ path: file.path, scanner: SCANNER, reason: `minified or generated code (a line longer than ${MAX_LINE_CHARS} characters) is not scanned` });
            continue;
          }
          const langId = lang === "notebook" ? "python" : lang!;
          const tree = await parseSource(langId, source);
          if (!tree) {
            result.unscanned.push({ path: file.path, scanner: SCANNER, reason: "parsing took longer than the time limit" });
            continue;
          }
          try {
            analysis = langId === "python" ? analyzePython(tree, source, { cellOf }) : analyzeJs(tree, source);
          } finally {
            tree.delete();
          }
          facts.stats.parsed++;
        }
      } catch (e) {
        result.unscanned.push({ path: file.path, scanner: SCANNER, reason: `could not analyse: ${(e as Error).message}` });
        continue;
      }
      emit(file.path, analysis, map, result.observations, facts);
    }
    result.facts = facts as unknown as Record<string, unknown>;
    return result;
  },
};

function notebookMapper(lines: NotebookLine[]): (row: number, column: number) => Mapped {
  return (row, column) => {
    const l = lines[row] ?? lines[lines.length - 1];
    if (!l) return { line: 1, column: 1, note: "", extra: {} };
    const p = l.locate(column);
    return { line: p.line, column: p.column, note: ` (cell ${l.cell}, line ${l.cellLine})`, extra: { cell: l.cell, cellLine: l.cellLine } };
  };
}

function emit(
  path: string,
  a: FileAnalysis,
  map: (row: number, column: number) => Mapped,
  out: Observation[],
  facts: CodeFacts,
): void {
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
        data: { rules: s.rules, ...m.extra },
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
    out.push({ scanner: SCANNER, kind: h.kind, location: { path, line: m.line, column: m.column }, message: `${h.message}${m.note}`, key: h.key, data: { ...(h.data ?? {}), ...m.extra } });
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
  // Evidence: the first of each fact in this file.
  const first = new Map<EvidenceFound["fact"], EvidenceFound>();
  for (const e of a.evidence) if (!first.has(e.fact)) first.set(e.fact, e);
  for (const [fact, e] of first) {
    const m = map(e.row, e.column);
    const evidence = `${path}:${m.line}:${m.column} ${e.what}${m.note}`;
    facts.inferred[fact] ??= { value: true, evidence };
    out.push({ scanner: SCANNER, kind: `evidence.${fact}`, location: { path, line: m.line, column: m.column }, message: `${path}:${m.line} ${e.what}${m.note}: evidence that ${fact} is true`, key: `evidence:${fact}`, data: { fact, value: true, evidence, ...m.extra } });
  }
}
