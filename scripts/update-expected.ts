// Rewrites examples/<name>/expected-findings.txt from a run over each example (as of the pinned
// date the tests use). Review the diff before committing: it is what the tests then assert.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLES, EXAMPLES_TODAY, findingLines } from "../__tests__/examples.helpers.js";
import { run } from "../src/run.js";
import { packageRoot } from "../src/util/package-root.js";

for (const name of EXAMPLES) {
  const root = join(packageRoot(), "examples", name);
  const report = await run({ root, today: EXAMPLES_TODAY });
  writeFileSync(join(root, "expected-findings.txt"), findingLines(report).join("\n") + "\n");
  console.log(`${name}: ${report.findings.length} findings, gate ${report.summary.passed ? "passed" : "failed"}`);
}
