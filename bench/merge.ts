// Benchmark of `aigate merge` at organisation scale: writes N reports of one system each (default
// 10,000), made from aigate's own reports of the bundled examples varied per system (realistic
// size: 40-70 KB each), then merges them in a fresh process (schema validation included) and
// prints the merge time, the process's peak RSS, and the sizes of posture.json, posture.md and
// posture.html. Targets: under 10 s and 500 MB.
// Run: npx tsx bench/merge.ts [reports] [--keep]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderPostureHtml } from "../src/org/html.js";
import { renderPostureMarkdown } from "../src/org/markdown.js";
import { expandReportArgs, mergeReports } from "../src/org/merge.js";

interface Figures {
  files: number;
  systems: number;
  invalid: number;
  readValidateDigestMs: number;
  renderWriteMs: number;
  totalMs: number;
  peakRssMb: number;
  jsonBytes: number;
  mdBytes: number;
  htmlBytes: number;
}

const child = process.argv.indexOf("--merge");
if (child >= 0) {
  // The measured process: nothing else loaded, nothing else held.
  const dir = process.argv[child + 1]!;
  const out = join(dir, "posture");
  const t0 = process.hrtime.bigint();
  const files = await expandReportArgs([join(dir, "reports")], dir);
  const posture = await mergeReports(files, { cwd: dir, today: "2026-11-27" });
  const t1 = process.hrtime.bigint();
  mkdirSync(out, { recursive: true });
  const json = JSON.stringify(posture) + "\n";
  const md = renderPostureMarkdown(posture);
  const html = renderPostureHtml(posture);
  writeFileSync(join(out, "posture.json"), json);
  writeFileSync(join(out, "posture.md"), md);
  writeFileSync(join(out, "posture.html"), html);
  const t2 = process.hrtime.bigint();
  const figures: Figures = {
    files: files.length,
    systems: posture.totals.systems,
    invalid: posture.inputs.invalid.length,
    readValidateDigestMs: Number(t1 - t0) / 1e6,
    renderWriteMs: Number(t2 - t1) / 1e6,
    totalMs: Number(t2 - t0) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    jsonBytes: Buffer.byteLength(json),
    mdBytes: Buffer.byteLength(md),
    htmlBytes: Buffer.byteLength(html),
  };
  console.log(JSON.stringify(figures));
} else {
  const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10_000);
  const keep = process.argv.includes("--keep");
  const { syntheticReport, templateReports } = await import("../__tests__/org/synthetic.js");
  const dir = mkdtempSync(join(tmpdir(), "aigate-bench-merge-"));
  const reports = join(dir, "reports");
  mkdirSync(reports);
  const g0 = Date.now();
  const templates = await templateReports();
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const text = JSON.stringify(syntheticReport(templates, i, { systems: 1 }), null, 2);
    bytes += text.length;
    writeFileSync(join(reports, `acme__r${i}.json`), text);
  }
  console.log(
    `generated ${n} reports (${(bytes / 1e6).toFixed(0)} MB, ${(bytes / n / 1e3).toFixed(0)} KB each on average) in ${((Date.now() - g0) / 1000).toFixed(1)} s`,
  );
  // Warm the page cache the way a runner that just downloaded the artifacts has it.
  for (const f of readdirSync(reports)) statSync(join(reports, f));
  const figures = JSON.parse(
    execFileSync(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--merge", dir], { encoding: "utf8", maxBuffer: 1 << 20 })
      .trim()
      .split("\n")
      .pop()!,
  ) as Figures;
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  console.log(
    `merge of ${figures.files} reports (${figures.systems} systems, ${figures.invalid} invalid): ${(figures.totalMs / 1000).toFixed(2)} s (read, validate and digest ${(figures.readValidateDigestMs / 1000).toFixed(2)} s; render and write ${(figures.renderWriteMs / 1000).toFixed(2)} s)`,
  );
  console.log(
    `peak RSS ${figures.peakRssMb.toFixed(0)} MB; posture.json ${mb(figures.jsonBytes)}, posture.md ${mb(figures.mdBytes)}, posture.html ${mb(figures.htmlBytes)}`,
  );
  console.log(`targets: time < 10 s ${figures.totalMs < 10_000 ? "met" : "MISSED"}; peak RSS < 500 MB ${figures.peakRssMb < 500 ? "met" : "MISSED"}`);
  if (keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
