// Bounded reports. A change can add files that each hold tens of thousands of the same sink: every
// finding is listed, a report of 400,000 findings no longer fits in a string (the run ended with
// "Invalid string length"), and GitHub keeps 5,000 results of a SARIF run. So a report lists at most
// PER_FILE findings of one rule in one file at one status, and at most LISTED in all; the rest of
// each group becomes one finding where its first left-out occurrence is, which says how many it
// stands for. Statuses are decided on every finding before folding, and a group shares rule, system,
// status and severity, so the verdict and the counts are those of the findings unfolded.
import { createHash } from "node:crypto";
import type { Finding } from "./types.js";

export const FOLD = {
  /** Findings of one rule, system, file and status listed before the rest are folded. */
  perFile: 1_000,
  /** Findings listed in a whole report before the rest are folded by rule, system and status. */
  listed: 20_000,
  /** Fingerprints a folded finding keeps of those it stands for (for `aigate baseline`). */
  fingerprints: 10_000,
};

/** How many findings one listed finding stands for (1 unless it is folded). */
export const weight = (f: Finding): number => f.folded?.count ?? 1;

/** `findings` (in report order) with the groups past the bounds folded; the order of the rest is kept. */
export function foldFindings(findings: readonly Finding[], bounds = FOLD): Finding[] {
  const perFile = fold(findings, (f) => `${f.path}\0${groupOf(f)}`, bounds.perFile, bounds, "file");
  if (perFile.length <= bounds.listed) return perFile;
  // Past the report's bound: the first `listed` stay, the rest are folded by rule, system and status.
  const kept = perFile.slice(0, bounds.listed);
  return [...kept, ...fold(perFile.slice(bounds.listed), groupOf, 0, bounds, "report")];
}

const groupOf = (f: Finding) => `${f.ruleId}\0${f.system ?? ""}\0${f.status}\0${f.severity}`;

function fold(list: readonly Finding[], keyOf: (f: Finding) => string, keep: number, bounds: typeof FOLD, scope: "file" | "report"): Finding[] {
  const keys = list.map(keyOf);
  // A group folds when at least two would be left out: one finding standing for one says nothing.
  const size = new Map<string, number>();
  for (const key of keys) size.set(key, (size.get(key) ?? 0) + 1);
  const seen = new Map<string, number>();
  const folded = new Map<string, Finding[]>();
  const out: (Finding | string)[] = [];
  for (const [i, f] of list.entries()) {
    const key = keys[i]!;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n <= keep || size.get(key)! <= keep + 1) {
      out.push(f);
      continue;
    }
    const group = folded.get(key);
    if (group) group.push(f);
    else {
      folded.set(key, [f]);
      out.push(key); // the folded finding's place: where its first occurrence was
    }
  }
  return out.map((x) => (typeof x === "string" ? foldedFinding(folded.get(x)!, scope, keep, bounds) : x));
}

function foldedFinding(rest: readonly Finding[], scope: "file" | "report", keep: number, bounds: typeof FOLD): Finding {
  const first = rest[0]!;
  let count = 0;
  const fingerprints: string[] = [];
  const files = new Set<string>();
  for (const f of rest) {
    count += weight(f);
    files.add(f.path);
    for (const fp of f.folded?.fingerprints ?? [f.fingerprint]) if (fingerprints.length < bounds.fingerprints) fingerprints.push(fp);
  }
  const where =
    scope === "file"
      ? `in ${first.path} (a report lists ${keep} of one rule in one file)`
      : `in ${files.size === 1 ? first.path : `${files.size} files`} (a report lists ${bounds.listed} findings)`;
  return {
    ...first,
    message: `${count} ${first.status} findings of this rule ${where} are not listed one by one; the first is here: ${first.message}`,
    fingerprint: createHash("md5")
      .update(`folded\0${scope}\0${scope === "file" ? first.path : ""}\0${groupOf(first)}`)
      .digest("hex"),
    folded: { count, fingerprints, complete: fingerprints.length === count },
  };
}
