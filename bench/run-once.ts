// One gate run through run() for bench/compare.ts: `--cache-dir DIR` uses the scan cache, `--diff
// REF` checks under scope: changed against REF, the walk started as the CLI starts it. Prints the process's time, run()'s own time (after
// start-up) and the number of findings as JSON.
// Run: npx tsx bench/run-once.ts ROOT [--cache-dir DIR] [--diff REF]
import { diffFromGit } from "../src/github/diff.js";
import { startWalk } from "../src/inventory/walk.js";
import { prewarmFor, run } from "../src/run.js";
import { findRepository, resolveCommit } from "../src/util/git.js";

const root = process.argv[2]!;
const opt = (n: string) => (process.argv.includes(n) ? process.argv[process.argv.indexOf(n) + 1] : undefined);
const cacheDir = opt("--cache-dir");
const ref = opt("--diff");
const t0 = performance.now();
const scope = ref ? "changed" : "all";
// As the CLI does: the walk starts at once, beside git's answers for the base.
const { walk, untracked } = startWalk(root, prewarmFor({ scope, cacheDir }));
let diff = null;
if (ref) {
  const repo = await findRepository(root);
  diff = await diffFromGit(root, await resolveCommit(repo!, ref), { untracked });
}
const report = await run({ root, today: "2026-11-27", cacheDir, scope, diff, walk });
const scanSecs = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ secs: process.uptime(), scanSecs, findings: report.findings.length }));
