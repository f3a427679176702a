// Defects the fuzzers found that are not fixed yet. Each has a failing regression test in
// __tests__/regressions/ (marked test.failing); here the targets recognise an input that reaches
// one so that fuzzing goes on looking for new defects instead of stopping at the same one again.
// The runner lists how often each was reached. AIGATE_FUZZ_STRICT=1 (the runner's --strict)
// treats them as crashes again. When a defect is fixed, delete its entry and the code using it.
import { InvariantError } from "./harness.js";

// None open: npy-truncated-header, yaml-position-drift and parquet-negative-num-children were fixed
// (their tests in __tests__/regressions/ now pass as plain tests).
export const KNOWN: Record<string, string> = {};

export type KnownId = keyof typeof KNOWN;

const reached = new Set<KnownId>();

/** Records that an input reached a known defect; throws instead under AIGATE_FUZZ_STRICT=1. */
export function known(id: KnownId, cause?: unknown): void {
  if (process.env["AIGATE_FUZZ_STRICT"] === "1") throw cause instanceof Error ? cause : new Error(`known defect ${id}: ${KNOWN[id]}`);
  if (!reached.has(id)) {
    reached.add(id);
    console.error(`aigate-fuzz: known defect ${id} reached: ${KNOWN[id]}`);
  }
}

/** A location invariant failed on a document the YAML parser already reported broken. */
export function isPositionDrift(e: unknown, syntaxBroken: boolean): boolean {
  return syntaxBroken && e instanceof InvariantError && /outside/.test(e.message);
}
