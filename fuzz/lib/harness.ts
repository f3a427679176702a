// What every fuzz target shares: how a target describes itself to the runner (scripts/fuzz.mjs),
// which exceptions are a module's documented "bad input" result, and invariants on locations.

/** How the runner treats one target (exported as `meta` by each file in fuzz/targets/). */
export interface TargetMeta {
  /** One line for the README and the runner's summary. */
  description: string;
  /** A file in fuzz/dict/ (without .dict). */
  dict?: string;
  /** Globs (from the repository root) of files copied into the seed corpus. */
  seedGlobs?: string[];
  /** The fuzz function never awaits: Jazzer runs it in synchronous mode (faster). */
  sync?: boolean;
  /**
   * Jazzer bug detectors to turn off (command-injection, path-traversal, prototype-pollution,
   * remote-code-execution), each with the reason beside it: a target whose code only computes path
   * strings and never opens them; one whose input is quoted into generated code by a library built
   * for that (Ajv).
   */
  disableBugDetectors?: string[];
  /**
   * Peak RSS in MB over which the run fails, when the harness alone needs more than the runner's
   * limit (--rss-limit, default 512): say what the process uses before its first input.
   */
  rssLimitMb?: number;
  /** Milliseconds one input may take before it counts as a hang (default 10,000). */
  timeoutMs?: number;
}

/** An invariant the target checks was broken: always a finding, never a documented result. */
export class InvariantError extends Error {
  override name = "InvariantError";
}

export function invariant(ok: unknown, message: string): asserts ok {
  if (!ok) throw new InvariantError(message);
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Rethrows `e` unless it is one of the module's documented bad-input errors. */
export function expectOnly(e: unknown, ...documented: ErrorClass[]): void {
  if (documented.some((c) => e instanceof c)) return;
  throw e;
}

/** The bytes as UTF-8 text, as the scanners read a text file (a leading BOM dropped). */
export function text(data: Buffer): string {
  return data.toString("utf8").replace(/^\uFEFF/, "");
}

/** Splits a fuzzer input into a selector byte and the rest. */
export function selector(data: Buffer, choices: number): { pick: number; rest: Buffer } {
  if (data.length === 0) return { pick: 0, rest: data };
  return { pick: data[0]! % choices, rest: data.subarray(1) };
}

/**
 * A 1-based line/column lies inside `source`: the line exists and the column is at most one past
 * its last character. Lines end at "\n"; a "\r" before it belongs to the line.
 */
export function assertInside(source: string, where: { line: number; column: number; endLine?: number; endColumn?: number }, what: string): void {
  const lines = source.split("\n");
  const check = (line: number, column: number, label: string) => {
    invariant(Number.isInteger(line) && Number.isInteger(column), `${what}: ${label} ${line}:${column} is not a pair of integers`);
    invariant(line >= 1 && line <= lines.length, `${what}: ${label} line ${line} is outside 1..${lines.length}`);
    const len = lines[line - 1]!.length;
    invariant(column >= 1 && column <= len + 1, `${what}: ${label} column ${column} is outside 1..${len + 1} on line ${line}`);
  };
  check(where.line, where.column, "start");
  if (where.endLine !== undefined && where.endColumn !== undefined) check(where.endLine, where.endColumn, "end");
}
