// Fingerprints identify a problem, not a position: rule, system, path and the evidence key.
// Line numbers and message text are left out so rewording or unrelated edits never reopen a finding.
// The same problem twice in one file (two `pickle.load(f)`) is told apart by its place among its
// twins (`disambiguate`), not by its line.
import { createHash } from "node:crypto";
import type { Finding } from "./types.js";

export function fingerprint(parts: { ruleId: string; system: string | null; path: string; key: string }): string {
  return createHash("sha256")
    .update([parts.ruleId, parts.system ?? "", parts.path, parts.key].join("\u0000"))
    .digest("hex")
    .slice(0, 32);
}

/** The fingerprint of the n-th (n ≥ 1) finding that shares `base`: sha256(base + "\0" + n), cut to base's length. */
export function occurrenceFingerprint(base: string, n: number): string {
  if (n === 0) return base;
  return createHash("sha256").update(`${base}\u0000${n}`).digest("hex").slice(0, base.length);
}

/**
 * Gives findings that share a fingerprint (same rule, system, path and key) distinct ones. Ordered
 * by line and column, the first keeps its fingerprint, so baselines and acceptances written before
 * stay valid; the n-th gets `occurrenceFingerprint(fingerprint, n)` and `occurrence = n`. Edits
 * elsewhere in the file move the twins together and keep their fingerprints. Call once, on every
 * finding of the run; a second call changes nothing.
 */
export function disambiguate(findings: Finding[]): void {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const g = groups.get(f.fingerprint);
    if (g) g.push(f);
    else groups.set(f.fingerprint, [f]);
  }
  const taken = new Set(groups.keys());
  for (const [base, group] of groups) {
    if (group.length < 2) continue;
    // Array.prototype.sort is stable: twins at the same position keep the order they were found in.
    const ordered = [...group].sort((a, b) => a.line - b.line || a.column - b.column);
    ordered.forEach((f, n) => {
      f.occurrence = n;
      if (n === 0) return;
      let fp = occurrenceFingerprint(base, n);
      // A 128-bit collision with another finding is not expected; should one happen, the twin
      // takes the next free salt rather than merge with an unrelated problem.
      for (let salt = 1; taken.has(fp); salt++) fp = occurrenceFingerprint(base, n + salt * ordered.length);
      taken.add(fp);
      f.fingerprint = fp;
    });
  }
}
