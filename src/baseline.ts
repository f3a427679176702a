// The baseline file: the fingerprints of findings that are known and tolerated (written by
// `aigate baseline`). Matching open findings become `baselined`: reported, never failing the gate.
// Fingerprints ignore line numbers, so edits elsewhere in a file keep a finding baselined.
import { readFile, stat, writeFile } from "node:fs/promises";
import type { Finding } from "./findings/types.js";
import type { BaselineEntry, Report } from "./report/types.js";
import { ConfigError } from "./errors.js";
import { byCodeUnits } from "./util/sorted.js";

export type { BaselineEntry };

export interface BaselineFile {
  aigateBaseline: "1";
  generatedAt: string;
  tool: string;
  findings: BaselineEntry[];
}

const MAX_BASELINE_BYTES = 50 * 1024 * 1024;

/** A missing or malformed baseline: a usage error (exit status 2), never an empty baseline. */
export class BaselineError extends ConfigError {}

export function createBaseline(report: Report): BaselineFile {
  const seen = new Set<string>();
  const findings: BaselineEntry[] = [];
  // Accepted findings too: an expired acceptance must not turn a known finding into a new one.
  for (const f of report.findings) {
    // A folded finding's own (those it stands for are what later runs match), or its own fingerprint.
    for (const fingerprint of f.folded?.fingerprints ?? [f.fingerprint]) {
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
      findings.push({ fingerprint, ruleId: f.ruleId, system: f.system, path: f.path, message: f.message });
    }
  }
  findings.sort((a, b) => byCodeUnits(a.path, b.path) || byCodeUnits(a.ruleId, b.ruleId) || byCodeUnits(a.fingerprint, b.fingerprint));
  return { aigateBaseline: "1", generatedAt: report.generatedAt, tool: `${report.tool.name} ${report.tool.version}`, findings };
}

export async function writeBaseline(file: string, report: Report): Promise<BaselineFile> {
  const baseline = createBaseline(report);
  await writeFile(file, JSON.stringify(baseline, null, 2) + "\n");
  return baseline;
}

/** Reads a baseline file; a missing, oversized or malformed file is a usage error, never "no baseline". */
export async function readBaseline(file: string): Promise<Map<string, BaselineEntry>> {
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) throw new BaselineError(`baseline file not found: ${file} (write one with \`aigate baseline --output ${file}\`)`);
  if (st.size > MAX_BASELINE_BYTES) throw new BaselineError(`baseline file ${file} is larger than ${MAX_BASELINE_BYTES} bytes`);
  return parseBaseline(await readFile(file, "utf8"), file);
}

/** A baseline file's entries by fingerprint; throws a BaselineError naming `file` when the text is not a baseline. */
export function parseBaseline(text: string, file: string): Map<string, BaselineEntry> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`baseline file ${file} is not JSON: ${(e as Error).message}`);
  }
  const d = data as Partial<BaselineFile>;
  if (!d || d.aigateBaseline !== "1" || !Array.isArray(d.findings))
    throw new BaselineError(`baseline file ${file} is not an aigate baseline (expected "aigateBaseline": "1" and a "findings" list)`);
  const out = new Map<string, BaselineEntry>();
  for (const [i, e] of d.findings.entries()) {
    if (!e || typeof e.fingerprint !== "string" || !/^[0-9a-f]{8,64}$/.test(e.fingerprint))
      throw new BaselineError(`baseline file ${file}: findings[${i}] has no valid fingerprint`);
    out.set(e.fingerprint, {
      fingerprint: e.fingerprint,
      ruleId: String(e.ruleId ?? ""),
      system: typeof e.system === "string" ? e.system : null,
      path: String(e.path ?? ""),
      message: String(e.message ?? ""),
    });
  }
  return out;
}

/** Marks open findings whose fingerprint is in the baseline; returns how many. */
export function applyBaseline(findings: Finding[], fingerprints: ReadonlySet<string> | ReadonlyMap<string, unknown>): number {
  let n = 0;
  for (const f of findings) {
    if (f.status === "open" && fingerprints.has(f.fingerprint)) {
      f.status = "baselined";
      n++;
    }
  }
  return n;
}

/** Baseline fingerprints no current finding has: fixed since the baseline was written. */
export function fixedSinceBaseline(findings: readonly Finding[], baseline: ReadonlyMap<string, BaselineEntry>): BaselineEntry[] {
  const now = new Set(findings.map((f) => f.fingerprint));
  return [...baseline.values()].filter((e) => !now.has(e.fingerprint));
}
