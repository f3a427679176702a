// Scores aigate on the evaluation repositories: runs it in-process on each materialised tree
// (eval/fetch-trees.sh) and compares its findings with the reviewer's eval/<name>/expected.yaml.
//
//   npx tsx eval/score.ts [TREES_DIR] [--today YYYY-MM-DD] [--json] [--details]
//
// An expected problem is found when a finding of one of its `rules` lies at its path within its
// lines (widened by 3 on each side; a path alone means anywhere in that file or folder). A clean
// place is flagged when any finding lies there. Recall is counted separately for `certain` and
// `likely` problems; "control accounting" counts the findings that say controls are not
// accounted for (controls-unaccounted and the per-control rules).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import type { Finding } from "../src/findings/types.js";
import { run } from "../src/run.js";

interface Place {
  path: string;
  from?: number;
  to?: number;
}
interface ExpectedItem {
  id: string;
  confidence: "certain" | "likely";
  at: string;
  rules: string[];
  why: string;
}
interface ExpectedFile {
  repository: string;
  commit: string;
  kind: string;
  expected: ExpectedItem[];
  clean: { at: string; why: string }[];
}

const WINDOW = 3;
const here = resolve(import.meta.dirname);
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const trees = resolve(args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--today") ?? "/tmp/eval-trees");
const today = option("--today") ?? new Date().toISOString().slice(0, 10);

function place(at: string): Place {
  const m = /^(.*?):(\d+)(?:-(\d+))?$/.exec(at);
  if (!m) return { path: at.replace(/\/$/, "") };
  return { path: m[1]!, from: Number(m[2]), to: Number(m[3] ?? m[2]) };
}

function at(f: Finding, p: Place, window: number): boolean {
  const inPath = f.path === p.path || f.path.startsWith(p.path + "/");
  if (!inPath) return false;
  if (p.from === undefined) return true;
  return f.line >= p.from - window && f.line <= p.to! + window;
}

const CONTROL_ACCOUNTING = (f: Finding) => f.ruleId === "controls-unaccounted" || /^control-[a-z]+-accounted$/.test(f.ruleId);

interface Row {
  name: string;
  kind: string;
  certain: [number, number];
  likely: [number, number];
  clean: [number, number];
  findings: number;
  bySeverity: Record<string, number>;
  accounting: number;
  missed: string[];
  falseAlarms: string[];
}

const rows: Row[] = [];
for (const name of readdirSync(here)
  .filter((d) => existsSync(join(here, d, "expected.yaml")))
  .sort()) {
  const spec = parse(readFileSync(join(here, name, "expected.yaml"), "utf8")) as ExpectedFile;
  const root = join(trees, name);
  if (!existsSync(root)) {
    console.error(`${name}: no tree at ${root} (run eval/fetch-trees.sh ${trees})`);
    continue;
  }
  const report = await run({ root, today });
  const findings = report.findings.filter((f) => f.status !== "suppressed");
  const row: Row = {
    name,
    kind: spec.kind,
    certain: [0, 0],
    likely: [0, 0],
    clean: [0, 0],
    findings: findings.length,
    bySeverity: {},
    accounting: 0,
    missed: [],
    falseAlarms: [],
  };
  for (const f of findings) row.bySeverity[f.severity] = (row.bySeverity[f.severity] ?? 0) + 1;
  row.accounting = findings.filter(CONTROL_ACCOUNTING).length;
  for (const e of spec.expected) {
    const p = place(e.at);
    const hit = findings.some((f) => e.rules.includes(f.ruleId) && at(f, p, WINDOW));
    const slot = e.confidence === "certain" ? row.certain : row.likely;
    slot[1]++;
    if (hit) slot[0]++;
    else row.missed.push(`${e.confidence} ${e.id} (${e.at})`);
  }
  for (const c of spec.clean) {
    const p = place(c.at);
    row.clean[1]++;
    const there = findings.filter((f) => at(f, p, 0));
    if (there.length) {
      row.clean[0]++;
      row.falseAlarms.push(`${c.at}: ${there.map((f) => `${f.ruleId}@${f.line}`).join(", ")}`);
    }
  }
  rows.push(row);
}

const pct = ([a, b]: [number, number]) => (b ? `${a}/${b} (${Math.round((100 * a) / b)}%)` : "-");
const sum = (pick: (r: Row) => [number, number]): [number, number] => rows.reduce<[number, number]>((t, r) => [t[0] + pick(r)[0], t[1] + pick(r)[1]], [0, 0]);

if (flag("--json")) {
  console.log(JSON.stringify({ today, rows }, null, 2));
} else {
  const lines = [
    "| repository | kind | certain found | likely found | clean places flagged | findings (error/warning/note) | control accounting |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.kind} | ${pct(r.certain)} | ${pct(r.likely)} | ${pct(r.clean)} | ${r.findings} (${r.bySeverity.error ?? 0}/${r.bySeverity.warning ?? 0}/${r.bySeverity.note ?? 0}) | ${r.accounting} |`,
    ),
    `| **all** | ${rows.length} repositories | ${pct(sum((r) => r.certain))} | ${pct(sum((r) => r.likely))} | ${pct(sum((r) => r.clean))} | ${rows.reduce((t, r) => t + r.findings, 0)} | max ${Math.max(0, ...rows.map((r) => r.accounting))} per system |`,
  ];
  console.log(lines.join("\n"));
  if (flag("--details")) {
    for (const r of rows) {
      if (r.missed.length) console.log(`\n${r.name} missed:\n  ${r.missed.join("\n  ")}`);
      if (r.falseAlarms.length) console.log(`\n${r.name} false alarms:\n  ${r.falseAlarms.join("\n  ")}`);
    }
  }
}
