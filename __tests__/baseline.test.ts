// The baseline file and the diff-aware gate, through the CLI as a user runs them.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readBaseline } from "../src/baseline.js";
import { cliInProcess } from "./helpers/cli.js";
import { aFinding } from "./helpers/findings.js";
import type { Finding } from "../src/findings/types.js";
import { failing } from "../src/gate.js";
import type { Diff } from "../src/github/diff.js";
import { loadTaxonomy } from "../src/exchange/taxonomy.js";
import { decide, type VerdictOptions } from "../src/verdict.js";

const FIXTURE = resolve(import.meta.dirname, "github/fixtures/support-bot");

const cli = cliInProcess;

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "aigate-scope-"));
  cpSync(FIXTURE, dir, { recursive: true });
  const git = (...a: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", ...a], { cwd: dir, stdio: "pipe" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "feature");
  return dir;
}

const f = (over: Partial<Finding>): Finding => aFinding({ line: 3, fingerprint: "0123456789abcdef0123456789abcdef", system: "s", ...over });

test("baselined and pre-existing findings never fail the gate; accepted stay accepted", () => {
  const list = [
    f({}),
    f({ fingerprint: "ffffffffffffffffffffffffffffffff", line: 9 }),
    f({ fingerprint: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", status: "accepted" }),
  ];
  const diff: Diff = {
    source: "git",
    incomplete: false,
    files: new Map([["a.py", { path: "a.py", status: "modified", added: new Set([3]), commentable: new Set([3]), whole: false }]]),
  };
  const opts: VerdictOptions = {
    failOn: "note",
    today: "2026-11-27",
    taxonomy: loadTaxonomy(),
    scope: "changed",
    diff,
    suppressions: [],
    acceptances: [],
    baseline: { file: "b.json", trusted: new Set(["0123456789abcdef0123456789abcdef", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"]), pending: new Set() },
  };
  const r = decide(list, opts);
  expect(r.counts).toMatchObject({ baselined: 1, preExisting: 1 });
  expect(list.map((x) => x.status)).toEqual(["baselined", "pre-existing", "accepted"]);
  expect(failing(list, "note")).toEqual([]);
  // An incomplete diff (over the API's file cap) marks nothing: fail safe.
  const again = [f({ line: 9 })];
  expect(decide(again, { ...opts, baseline: null, diff: { ...diff, incomplete: true } }).counts.preExisting).toBe(0);
  expect(again[0]!.status).toBe("open");
  // Manifest errors are never baselined or pre-existing.
  const broken = [f({ ruleId: "manifest-schema", line: 9 })];
  decide(broken, { ...opts, baseline: { file: "b.json", trusted: new Set([broken[0]!.fingerprint]), pending: new Set() } });
  expect(broken[0]!.status).toBe("open");
});

test("aigate baseline writes every finding; check --baseline then passes on them, and a new finding still fails", async () => {
  const dir = repo();
  const file = join(dir, "aigate-baseline.json");
  const b = await cli(["baseline", dir, "--output", file, "--today", "2026-11-27"]);
  expect(b.code).toBe(0);
  expect(b.err).toMatch(/baseline of \d+ findings written/);
  const known = await readBaseline(file);
  expect(known.size).toBeGreaterThan(10);

  const before = await cli(["check", dir, "--fail-on", "note", "--format", "json", "--today", "2026-11-27"]);
  expect(before.code).toBe(1);
  const after = await cli(["check", dir, "--fail-on", "note", "--baseline", file, "--format", "json", "--today", "2026-11-27"]);
  expect(after.code).toBe(0);
  const report = JSON.parse(after.out);
  expect(report.summary.open).toBe(0);
  expect(report.findings.every((x: Finding) => x.status === "baselined")).toBe(true);

  // A third model without a licence is new: not in the baseline, so it fails at fail-on note.
  writeFileSync(join(dir, "ai-system.yaml"), readFileSync(join(dir, "ai-system.yaml"), "utf8") + "  - name: third\n    provider: openai\n    id: o1\n");
  const grown = await cli(["check", dir, "--fail-on", "note", "--baseline", file, "--format", "json", "--today", "2026-11-27"]);
  expect(grown.code).toBe(1);
  const open = JSON.parse(grown.out).findings.filter((x: Finding) => x.status === "open");
  expect(open.map((x: Finding) => `${x.ruleId}@${x.line}`)).toEqual(["model-license-undeclared@16"]);
});

test("check --scope changed --base REF: only findings on changed lines can fail", async () => {
  const dir = repo();
  writeFileSync(join(dir, "ai-system.yaml"), readFileSync(join(dir, "ai-system.yaml"), "utf8") + "  - name: third\n    provider: openai\n    id: o1\n");
  const all = await cli(["check", dir, "--fail-on", "warning", "--format", "json", "--today", "2026-11-27"]);
  expect(all.code).toBe(1);
  const changed = await cli(["check", dir, "--fail-on", "warning", "--scope", "changed", "--base", "main", "--format", "json", "--today", "2026-11-27"]);
  expect(changed.code).toBe(0);
  const r = JSON.parse(changed.out);
  expect(r.findings.filter((x: Finding) => x.status === "open").map((x: Finding) => x.line)).toEqual([16]);
  expect(r.findings.filter((x: Finding) => x.status === "pre-existing").length).toBeGreaterThan(10);
  expect(r.summary.passed).toBe(true);

  // Without a base there is nothing to compare with: a usage error (main() exits 2), not a silent "all".
  await expect(cli(["check", dir, "--scope", "changed"])).rejects.toThrow(/--scope changed needs --base/);
});

test("a malformed baseline is a usage error, never an empty baseline", async () => {
  const dir = mkdtempSync(join(tmpdir(), "aigate-bl-"));
  writeFileSync(join(dir, "b.json"), JSON.stringify({ findings: [] }));
  await expect(readBaseline(join(dir, "b.json"))).rejects.toThrow(/not an aigate baseline/);
  await expect(readBaseline(join(dir, "missing.json"))).rejects.toThrow(/baseline file not found/);
  writeFileSync(join(dir, "c.json"), JSON.stringify({ aigateBaseline: "1", findings: [{ fingerprint: "not hex!" }] }));
  await expect(readBaseline(join(dir, "c.json"))).rejects.toThrow(/findings\[0\] has no valid fingerprint/);
});
