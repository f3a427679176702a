// Benchmark of the PR-reporting stage: SARIF of a large report (gzip budget check included), the
// sticky comment, review planning and parsing a large git diff. Inputs are generated here.
// Run: npx tsx bench/github.ts
import { gzipSync } from "node:zlib";
import type { Finding } from "../src/findings/types.js";
import { renderCommentWithin } from "../src/github/comment.js";
import { parseUnifiedDiff } from "../src/github/diff.js";
import { planReview } from "../src/github/review.js";
import { renderSarif } from "../src/report/sarif.js";
import type { Report } from "../src/report/types.js";

const N = Number(process.argv[2] ?? 100_000);
const SYSTEMS = 30;
const sev = ["error", "warning", "note"] as const;
const findings: Finding[] = Array.from({ length: N }, (_, i) => ({
  ruleId: `rule-${i % 40}`,
  title: `Rule ${i % 40}`,
  control: "SUPPLYCHAINMANAGE",
  threats: ["SUPPLYMODELPOISON", "DATAPOISON"],
  severity: sev[i % 3]!,
  status: "open",
  message: `finding ${i}: model file models/m${i}.pkl can run code when loaded`,
  path: `svc-${i % SYSTEMS}/models/m${i}.pkl`,
  line: (i % 500) + 1,
  column: 1,
  fingerprint: i.toString(16).padStart(32, "0"),
  system: `system-${i % SYSTEMS}`,
  remediation: "Convert to safetensors.",
  link: "https://owaspai.org/go/supplychainmanage/",
}));
const report: Report = {
  reportVersion: "1",
  tool: { name: "aigate", version: "0.1.0" },
  generatedAt: new Date().toISOString(),
  today: "2026-11-27",
  root: ".",
  policy: { name: "b", version: "1", files: [], rules: 40 },
  systems: Array.from({ length: SYSTEMS }, (_, i) => ({
    name: `system-${i}`,
    manifest: `svc-${i}/ai-system.yaml`,
    folder: `svc-${i}`,
    evaluated: true,
    facts: { stated: {}, implied: {}, defaulted: {}, unstated: [] },
    threats: [],
    controls: [],
    summary: { errors: 1, warnings: 0, notes: 0, accepted: 0, passed: false },
  })),
  findings,
  inventory: { files: N, models: [], unscanned: [] },
  summary: { findings: N, open: N, accepted: 0, bySeverity: { error: 0, warning: 0, note: 0 }, failOn: "error", passed: false },
};

function time<T>(label: string, fn: () => T): T {
  const t = process.hrtime.bigint();
  const r = fn();
  console.log(`${label}: ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(0)} ms`);
  return r;
}

const sarif = time(`SARIF of ${N} findings in ${SYSTEMS} systems`, () => renderSarif(report));
console.log(`  ${(sarif.length / 1e6).toFixed(1)} MB, ${(gzipSync(sarif).length / 1e6).toFixed(2)} MB gzip, ${JSON.parse(sarif).runs.length} runs`);
const body = time(`sticky comment of ${SYSTEMS} systems`, () =>
  renderCommentWithin({
    repoKey: "000000000000",
    passed: false,
    sections: report.systems.map((s) => ({ name: s.name, system: s, findings: findings.filter((f) => f.system === s.name), fixed: [] })),
    failOn: "error",
    scope: "all",
    runUrl: "https://github.com/o/r/actions/runs/1",
    previouslyOpen: null,
    knowsBase: false,
  }),
);
console.log(`  ${body.length} characters`);
const diffText = Array.from(
  { length: 3000 },
  (_, f) =>
    `diff --git a/svc-${f % SYSTEMS}/models/m${f}.pkl b/svc-${f % SYSTEMS}/models/m${f}.pkl\n--- a/svc-${f % SYSTEMS}/models/m${f}.pkl\n+++ b/svc-${f % SYSTEMS}/models/m${f}.pkl\n@@ -1,3 +1,${103} @@\n a\n${Array.from({ length: 100 }, (_, l) => `+line ${l}`).join("\n")}\n b\n c`,
).join("\n");
const diff = time(`parse a git diff of 3,000 files (${(diffText.length / 1e6).toFixed(1)} MB)`, () => parseUnifiedDiff(diffText));
const plan = time(`plan a review over ${N} findings`, () => planReview(findings, { source: "api", incomplete: false, files: diff }, new Set()));
console.log(`  ${plan.comments.length} comments, ${plan.outsideDiff} outside the diff`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
