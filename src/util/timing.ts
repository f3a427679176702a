// Where a run's time goes, for whoever asks why a run is slow: with AIGATE_TIMING=1 each stage's
// end is marked and the stages' durations are printed to standard error when the process exits
// (ESLint's TIMING=1 habit). Off by default: a mark is then a single comparison.
import { performance } from "node:perf_hooks";

let enabled: boolean | undefined;
const marks: [string, number][] = [];

/** Marks the end of stage `name`: its duration is the time since the previous mark (or since the process started). */
export function stageDone(name: string): void {
  enabled ??= /^(1|true|yes)$/i.test(process.env.AIGATE_TIMING ?? "");
  if (!enabled) return;
  if (marks.length === 0) process.once("exit", () => process.stderr.write(timingReport()));
  marks.push([name, performance.now()]);
}

/** The stages marked so far, one line each with its duration, and the time since the process started. */
export function timingReport(): string {
  const rows: string[] = [];
  let last = 0;
  for (const [name, at] of marks) {
    rows.push(`${(at - last).toFixed(1).padStart(9)} ms  ${name}`);
    last = at;
  }
  rows.push(`${performance.now().toFixed(1).padStart(9)} ms  in all, from the process's start`);
  return `aigate timing (AIGATE_TIMING):\n${rows.join("\n")}\n`;
}
