// Argument parsers shared by the CLI's commands (check, baseline, bom, org, ...).
import { InvalidArgumentError } from "commander";

/** A repeatable option: each use adds one value (never swallows the following arguments). */
export const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** A calendar date, YYYY-MM-DD. */
export function isoDate(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) throw new InvalidArgumentError("expected YYYY-MM-DD");
  return v;
}

/** A whole number. */
export function wholeNumber(v: string): number {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError("expected a whole number");
  return Number(v);
}

/** A count of threads: 1 to 64. */
export function threadCount(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 64) throw new InvalidArgumentError("expected a whole number from 1 to 64");
  return Number(v);
}

/** What a sub-command writes to and reads from: its output streams, exit status, environment and folder (tests inject them). */
export interface CommandIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  setExit: (code: number) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}
