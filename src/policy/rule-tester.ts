// RuleTester: a rule's cases, each a small repository (files as a `{ path: content }` map, the
// manifest among them), run through the real pipeline in-process (`run()`) with the rule under test
// as the only built-in rule enabled (as ESLint runs one rule): another rule's findings, or a summary
// rule that folds them, cannot change what the case shows. A valid case asserts that the rule stays
// quiet; an invalid case states every finding of the rule, exactly: path, line, column, the end of
// the span when the finding has one, and a message substring (or pattern).
// Test files call `new RuleTester().run(ruleId, { valid, invalid })` under jest (or any runner with
// global `describe` and `it`); a meta-test fails when a built-in rule has no valid and no invalid case.
import { deepStrictEqual, fail } from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadTaxonomy } from "../exchange/taxonomy.js";
import { diagnosticCatalogue } from "../findings/diagnostics.js";
import type { Finding, FindingStatus, Severity } from "../findings/types.js";
import type { Report } from "../report/types.js";
import { run } from "../run.js";
import { packageRoot } from "../util/package-root.js";
import { loadPacks } from "./load.js";

/** A file of a case: its text or bytes, a copy of a file of this package (a binary fixture), or a sparse file of a size. */
export type FileSpec = string | Uint8Array | { copy: string } | { size: number };

/** A repository: paths (POSIX, relative to its root) to their content. */
export type Files = Readonly<Record<string, FileSpec>>;

export interface RuleCase {
  /** What the case shows; the test's name. */
  name?: string;
  /** The repository, manifest included (`ai-system.yaml`); none means a repository without a manifest. */
  files: Files;
  /** Policy packs (YAML) written next to the repository and passed as --policy, in order. */
  packs?: string[];
  /** Today's date for the run (default: the tester's, 2026-11-27). */
  today?: string;
  /** The case's manifests may fail to load (a rule about systems next to a broken one); by default that fails the case. */
  manifestErrors?: boolean;
  /** Other built-in rules to keep enabled (a rule that summarises other rules' findings needs them). */
  alsoRun?: readonly string[];
}

export type ValidCase = RuleCase;

/** One finding of the rule, as it must be reported. */
export interface ExpectedFinding {
  path: string;
  line: number;
  column: number;
  /** Required when the finding has a span (manifest locations do). */
  endLine?: number;
  endColumn?: number;
  /** A substring of the message, or a pattern it must match. */
  message: string | RegExp;
  severity?: Severity;
  status?: FindingStatus;
}

export interface InvalidCase extends RuleCase {
  /** Every finding of the rule for this repository, in the report's order (path, line, column). */
  findings: readonly ExpectedFinding[];
}

export interface RuleTests {
  valid: readonly ValidCase[];
  invalid: readonly InvalidCase[];
}

type TestFn = (name: string, fn: () => Promise<void>, timeout?: number) => void;
type DescribeFn = (name: string, fn: () => void) => void;

const DEFAULT_TODAY = "2026-11-27";

/**
 * Writes a repository into a new temporary folder and returns its path: the one helper every rule
 * and check test builds its repositories with. The caller removes it (or leaves it to the OS).
 */
export function writeRepository(files: Files, prefix = "aigate-repo-"): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, spec] of Object.entries(files)) {
    if (path.startsWith("/") || path.split("/").includes("..")) throw new Error(`RuleTester: ${path} is not a path inside the repository`);
    const abs = join(root, path);
    mkdirSync(dirname(abs), { recursive: true });
    if (typeof spec === "string" || spec instanceof Uint8Array) writeFileSync(abs, spec);
    else if ("copy" in spec) copyFileSync(join(packageRoot(), spec.copy), abs);
    else {
      writeFileSync(abs, "");
      truncateSync(abs, spec.size);
    }
  }
  return root;
}

const cache = new Map<string, Promise<Report>>();

function caseKey(c: RuleCase, today: string, enabled: readonly string[] | null): string {
  const h = createHash("sha256");
  h.update(JSON.stringify([today, c.packs ?? [], enabled]));
  for (const [path, spec] of Object.entries(c.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    h.update(`\0${path}\0`);
    h.update(typeof spec === "string" || spec instanceof Uint8Array ? spec : JSON.stringify(spec));
  }
  return h.digest("hex");
}

/**
 * Runs aigate on a case's repository and returns the report (once per distinct repository and set
 * of enabled rules in this process). With `only`, every other built-in rule is disabled by an
 * override pack loaded before the case's own packs; diagnostics always run.
 */
export async function runCase(c: RuleCase, today = DEFAULT_TODAY, only?: readonly string[]): Promise<Report> {
  const when = c.today ?? today;
  const disabled = only ? [...(await builtinRules())].filter((id) => !only.includes(id)) : [];
  const key = caseKey(c, when, only ? [...only].sort() : null);
  let report = cache.get(key);
  if (!report) {
    report = (async () => {
      const root = writeRepository(c.files, "aigate-rule-");
      const packDir = mkdtempSync(join(tmpdir(), "aigate-rule-packs-"));
      try {
        const texts = [...(disabled.length ? [isolationPack(disabled)] : []), ...(c.packs ?? [])];
        const policyFiles = texts.map((text, i) => {
          const file = join(packDir, `pack-${i}.yaml`);
          writeFileSync(file, text);
          return file;
        });
        return await run({ root, today: when, policyFiles, cwd: packDir });
      } finally {
        rmSync(root, { recursive: true, force: true });
        rmSync(packDir, { recursive: true, force: true });
      }
    })();
    cache.set(key, report);
  }
  return report;
}

/** Findings that say a manifest was not read: a case with one tests only diagnostics. */
const UNREAD = new Set(["manifest-yaml", "manifest-schema", "manifest-not-evaluated"]);

/**
 * The findings of one rule for a case, in the report's order. A case whose manifest does not load
 * fails (unless the rule is about manifests that do not load): a rule cannot fire on a system that
 * was not evaluated, so such a valid case would pass for the wrong reason.
 */
export async function findingsOf(ruleId: string, c: RuleCase, today = DEFAULT_TODAY): Promise<Finding[]> {
  const builtin = await builtinRules();
  const known = builtin.has(ruleId) || diagnosticIds().has(ruleId);
  // A rule of the case's own packs runs with everything; a diagnostic too (a stale acceptance needs the rules it names).
  const report = await runCase(c, today, builtin.has(ruleId) ? [ruleId, ...(c.alsoRun ?? [])] : undefined);
  if (!known && !report.findings.some((f) => f.ruleId === ruleId)) fail(`RuleTester: there is no rule "${ruleId}"`);
  if (report.findings.some((f) => UNREAD.has(f.ruleId)) && !diagnosticIds().has(ruleId) && !c.manifestErrors) {
    const why = report.findings.filter((f) => f.ruleId.startsWith("manifest-") || f.ruleId === "profile-fact-conflict");
    fail(
      `RuleTester: a manifest of the case "${c.name ?? ruleId}" does not load:\n${why.map((f) => `${f.path}:${f.line}:${f.column} ${f.message} [${f.ruleId}]`).join("\n")}`,
    );
  }
  return report.findings.filter((f) => f.ruleId === ruleId);
}

let ruleIds: Promise<Set<string>> | undefined;
/** The built-in pack's rule ids. */
async function builtinRules(): Promise<Set<string>> {
  ruleIds ??= loadPacks(loadTaxonomy(), []).then((pack) => new Set(pack.rules.map((r) => r.id)));
  return ruleIds;
}

const diagnosticIds = () => new Set(diagnosticCatalogue().keys());

/** A pack that disables these rules. */
function isolationPack(disabled: readonly string[]): string {
  return (
    [
      "apiVersion: aigate/v1",
      "kind: PolicyPack",
      "name: rule-tester-isolation",
      "version: '1'",
      "overrides:",
      ...disabled.map((id) => `  - { rule: ${id}, enabled: false }`),
    ].join("\n") + "\n"
  );
}

/** A finding as the comparison sees it: only what the expectation states, the message checked on its own. */
function comparable(f: Finding, e: ExpectedFinding | undefined) {
  return {
    path: f.path,
    line: f.line,
    column: f.column,
    ...(f.endLine !== undefined && { endLine: f.endLine, endColumn: f.endColumn }),
    ...(e?.severity !== undefined && { severity: f.severity }),
    ...(e?.status !== undefined && { status: f.status }),
  };
}

function expectedPlace(e: ExpectedFinding) {
  return {
    path: e.path,
    line: e.line,
    column: e.column,
    ...(e.endLine !== undefined && { endLine: e.endLine, endColumn: e.endColumn }),
    ...(e.severity !== undefined && { severity: e.severity }),
    ...(e.status !== undefined && { status: e.status }),
  };
}

/** Asserts that a rule's findings are exactly the expected ones. */
export function assertFindings(ruleId: string, actual: readonly Finding[], expected: readonly ExpectedFinding[]): void {
  const shown = actual.map((f) => `${f.path}:${f.line}:${f.column}${f.endLine !== undefined ? `-${f.endLine}:${f.endColumn}` : ""} ${f.message}`);
  if (actual.length !== expected.length) fail(`${ruleId}: expected ${expected.length} finding(s), got ${actual.length}:\n${shown.join("\n") || "(none)"}`);
  actual.forEach((f, i) => {
    const e = expected[i]!;
    deepStrictEqual(comparable(f, e), expectedPlace(e), `${ruleId}: finding ${i + 1} is at ${shown[i]}`);
    const ok = typeof e.message === "string" ? f.message.includes(e.message) : e.message.test(f.message);
    if (!ok)
      fail(
        `${ruleId}: finding ${i + 1}'s message does not ${typeof e.message === "string" ? "contain" : "match"} ${String(typeof e.message === "string" ? JSON.stringify(e.message) : e.message)}:\n${f.message}`,
      );
  });
}

export class RuleTester {
  /** The runner's `describe` and `it` (jest's globals unless set). */
  static describe: DescribeFn | undefined;
  static it: TestFn | undefined;
  /** The cases each rule was given in this process, for the test that every rule has some. */
  static readonly registered = new Map<string, { valid: number; invalid: number }>();

  private readonly today: string;

  constructor(options: { today?: string } = {}) {
    this.today = options.today ?? DEFAULT_TODAY;
  }

  run(ruleId: string, tests: RuleTests): void {
    const g = globalThis as unknown as { describe?: DescribeFn; it?: TestFn };
    const describe = RuleTester.describe ?? g.describe;
    const it = RuleTester.it ?? g.it;
    if (!describe || !it) throw new Error("RuleTester.run needs a test runner's describe and it");
    if (tests.valid.length === 0 || tests.invalid.length === 0) throw new Error(`RuleTester: ${ruleId} needs at least one valid and one invalid case`);
    const seen = RuleTester.registered.get(ruleId) ?? { valid: 0, invalid: 0 };
    RuleTester.registered.set(ruleId, { valid: seen.valid + tests.valid.length, invalid: seen.invalid + tests.invalid.length });
    describe(ruleId, () => {
      tests.valid.forEach((c, i) => {
        it(`valid: ${c.name ?? `#${i + 1}`}`, async () => {
          assertFindings(ruleId, await findingsOf(ruleId, c, this.today), []);
        }, 60_000);
      });
      tests.invalid.forEach((c, i) => {
        it(`invalid: ${c.name ?? `#${i + 1}`}`, async () => {
          if (c.findings.length === 0) fail(`${ruleId}: an invalid case states at least one finding`);
          assertFindings(ruleId, await findingsOf(ruleId, c, this.today), c.findings);
        }, 60_000);
      });
    });
  }
}
