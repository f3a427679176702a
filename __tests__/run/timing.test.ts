// AIGATE_TIMING=1: each stage of a run is marked, and the report lists them in order with their durations.
import { join } from "node:path";
import { run } from "../../src/run.js";
import { packageRoot } from "../../src/util/package-root.js";
import { timingReport } from "../../src/util/timing.js";
import { EXAMPLES_TODAY } from "../examples.helpers.js";

test("the stages of a run, in order, each with a duration", async () => {
  process.env.AIGATE_TIMING = "1";
  try {
    await run({ root: join(packageRoot(), "examples", "support-assistant"), today: EXAMPLES_TODAY, threads: 1 });
  } finally {
    delete process.env.AIGATE_TIMING;
  }
  const lines = timingReport().trimEnd().split("\n");
  expect(lines[0]).toBe("aigate timing (AIGATE_TIMING):");
  const stages = lines.slice(1).map((l) => /^ +(\d+\.\d) ms {2}(.+)$/.exec(l)?.[2]);
  expect(stages).toEqual([
    "packs and configuration",
    "walk (what it had left)",
    "manifests",
    "scan: plan (cache lookups, batches)",
    "scan: files on the pool, whole-repository scanners beside them",
    "scan",
    "policy evaluation",
    "findings located and quoted",
    "verdict",
    "in all, from the process's start",
  ]);
});
