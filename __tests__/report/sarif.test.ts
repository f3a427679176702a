// SARIF output: the official 2.1.0 schema (vendored, compiled with Ajv), GitHub code scanning's
// ingestion rules written as assertions, Microsoft's SARIF Multitool with the GitHub rules, and
// GitHub's upload limits.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Finding, Severity } from "../../src/findings/types.js";
import { buildSarif, renderSarif, SARIF_LIMITS, TRUNCATED_RULE_ID } from "../../src/report/sarif.js";
import type { Report } from "../../src/report/types.js";
import { run } from "../../src/run.js";

const ROOT = resolve(import.meta.dirname, "../..");
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, "schemas/vendor/sarif-schema-2.1.0.json"), "utf8")));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** GitHub code scanning's reading of a SARIF file (docs: "SARIF support for code scanning"). */
function githubProblems(log: Json): string[] {
  const p: string[] = [];
  if (!log.$schema) p.push("no $schema");
  if (log.version !== "2.1.0") p.push("version is not 2.1.0");
  if (log.runs.length > SARIF_LIMITS.runsPerFile) p.push(`${log.runs.length} runs`);
  const ids = new Set<string>();
  for (const [i, r] of log.runs.entries()) {
    const id = `${r.tool.driver.name}|${r.automationDetails?.id ?? ""}`;
    if (ids.has(id)) p.push(`run ${i}: same tool and category as another run (${id})`);
    ids.add(id);
    if (!r.automationDetails?.id?.includes("/")) p.push(`run ${i}: no category`);
    if (r.results.length > SARIF_LIMITS.resultsPerRun) p.push(`run ${i}: ${r.results.length} results`);
    const rules: Json[] = r.tool.driver.rules;
    for (const rule of rules) {
      if (!rule.id) p.push("rule without id");
      if (rule.name && rule.name.length > 255) p.push(`${rule.id}: name too long`);
      for (const d of ["shortDescription", "fullDescription"]) if (!rule[d]?.text || rule[d].text.length > 1024) p.push(`${rule.id}: ${d}`);
      if (!rule.help?.text) p.push(`${rule.id}: no help.text`);
      if (!["note", "warning", "error"].includes(rule.defaultConfiguration?.level)) p.push(`${rule.id}: level`);
      const sev = rule.properties?.["security-severity"];
      if (typeof sev !== "string" || !(Number(sev) > 0 && Number(sev) <= 10)) p.push(`${rule.id}: security-severity ${sev}`);
      if ((rule.properties?.tags ?? []).length > 10) p.push(`${rule.id}: more than 10 tags`);
    }
    for (const res of r.results) {
      if (!res.message?.text) p.push("result without message");
      if (rules[res.ruleIndex]?.id !== res.ruleId) p.push(`result ${res.ruleId}: ruleIndex does not point at its rule`);
      if (res.locations?.length !== 1) p.push(`result ${res.ruleId}: ${res.locations?.length} locations`);
      const loc = res.locations[0].physicalLocation;
      if (/^([a-z]+:|\/)/i.test(loc.artifactLocation.uri)) p.push(`result ${res.ruleId}: uri ${loc.artifactLocation.uri} is not repository-relative`);
      if (loc.region.startLine < 1) p.push(`result ${res.ruleId}: startLine`);
      if (!res.partialFingerprints?.primaryLocationLineHash) p.push(`result ${res.ruleId}: no primaryLocationLineHash`);
    }
  }
  return p;
}

const MULTITOOL = (() => {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("@microsoft/sarif-multitool-linux/package.json")), "Sarif.Multitool");
  } catch {
    return null;
  }
})();

/** Microsoft's SARIF Multitool with GitHub's ingestion rules; returns its error-level results. */
function multitoolErrors(sarif: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "aigate-sarif-"));
  writeFileSync(join(dir, "in.sarif"), sarif);
  // It exits 0 whenever analysis ran, so its own SARIF output is what tells the verdict.
  execFileSync(MULTITOOL!, ["validate", "--rule-kind", "Gh;Sarif", "--log", "ForceOverwrite", "-o", join(dir, "out.sarif"), join(dir, "in.sarif")], {
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" },
    stdio: "pipe",
    timeout: 60_000,
  });
  const out = JSON.parse(readFileSync(join(dir, "out.sarif"), "utf8"));
  return out.runs
    .flatMap((r: Json) => r.results ?? [])
    .filter((r: Json) => r.level === "error" || (r.level === undefined && /^(GH|SARIF)1/.test(r.ruleId)))
    .map((r: Json) => `${r.ruleId}: ${JSON.stringify(r.message)}`);
}

const EXAMPLES = existsSync(join(ROOT, "examples"))
  ? readdirSync(join(ROOT, "examples")).filter((d) => existsSync(join(ROOT, "examples", d, "ai-system.yaml")))
  : [];
const FIXTURE = join(ROOT, "__tests__/github/fixtures/support-bot");

describe.each([...EXAMPLES.map((d) => ["example " + d, join(ROOT, "examples", d)]), ["fixture support-bot", FIXTURE]])("SARIF of %s", (_name, dir) => {
  let report: Report;
  let text: string;
  beforeAll(async () => {
    report = await run({ root: dir, today: "2026-11-27" });
    report.root = ".";
    text = renderSarif(report);
  });

  test("validates against the official SARIF 2.1.0 schema", () => {
    const log = JSON.parse(text);
    expect(validateSchema(log) ? [] : validateSchema.errors).toEqual([]);
  });

  test("meets GitHub code scanning's ingestion rules", () => {
    const log = JSON.parse(text);
    expect(githubProblems(log)).toEqual([]);
    // Every finding is a result (none of these runs is over the limits).
    expect((log.runs as Json[]).reduce((n, r) => n + r.results.length, 0)).toBe(report.findings.length);
  });

  const multitool = process.platform === "linux" && process.arch === "x64" ? test : test.skip;
  multitool("passes the SARIF Multitool with the GitHub rules (validate --rule-kind Gh;Sarif)", () => {
    expect(MULTITOOL && existsSync(MULTITOOL)).toBeTruthy();
    expect(multitoolErrors(text)).toEqual([]);
  });
});

function finding(i: number, system: string | null, severity: Severity = "warning", extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: `rule-${i % 7}`,
    title: `Rule ${i % 7}`,
    control: "SUPPLYCHAINMANAGE",
    threats: ["SUPPLYMODELPOISON"],
    severity,
    status: "open",
    message: `finding ${i} ${"detail ".repeat(20)}`,
    path: `${system ?? "repo"}/file-${i}.py`,
    line: (i % 400) + 1,
    column: 1,
    fingerprint: (i.toString(16).padStart(8, "0") + (system ?? "none")).replace(/[^0-9a-f]/g, "0").padEnd(32, "0"),
    system,
    remediation: "Do the right thing.",
    link: "https://owaspai.org/go/supplychainmanage/",
    ...extra,
  };
}

function syntheticReport(systems: string[], findings: Finding[]): Report {
  return {
    reportVersion: "1",
    tool: { name: "aigate", version: "0.1.0" },
    generatedAt: "2026-11-27T00:00:00.000Z",
    today: "2026-11-27",
    root: ".",
    policy: { name: "aigate-builtin", version: "1.0.0", files: [], rules: 7 },
    systems: systems.map((name) => ({
      name,
      manifest: `${name}/ai-system.yaml`,
      folder: name,
      evaluated: true,
      facts: { stated: {}, implied: {}, defaulted: {}, unstated: [] },
      threats: [],
      controls: [],
      summary: { errors: 0, warnings: 0, notes: 0, accepted: 0, passed: true },
    })),
    findings,
    inventory: { files: 1, models: [], unscanned: [] },
    summary: {
      findings: findings.length,
      open: findings.length,
      accepted: 0,
      bySeverity: { error: 0, warning: findings.length, note: 0 },
      failOn: "error",
      passed: true,
    },
  };
}

const onLinuxX64 = process.platform === "linux" && process.arch === "x64" ? test : test.skip;
onLinuxX64("the Multitool check fails on what GitHub rejects (no $schema, no help, absolute URI)", () => {
  const log = buildSarif(syntheticReport(["s"], [finding(1, "s")]));
  delete log.$schema;
  const runs = log.runs as Json[];
  delete runs[0]!.tool.driver.rules[0].help;
  runs[0]!.results[0].locations[0].physicalLocation.artifactLocation.uri = "/abs/file.py";
  const errors = multitoolErrors(JSON.stringify(log));
  expect(errors.map((e) => e.split(":")[0]).sort()).toEqual(["GH1013", "GH2012", "SARIF1004"]);
});

describe("GitHub's upload limits", () => {
  test("more than 20 systems: 20 runs, the last shared by the rest, all categories distinct", () => {
    const names = Array.from({ length: 25 }, (_, i) => `system-${i}`);
    const log = buildSarif(
      syntheticReport(
        names,
        names.map((n, i) => finding(i, n)),
      ),
    );
    expect(log.runs).toHaveLength(20);
    const ids = (log.runs as Json[]).map((r) => r.automationDetails.id);
    expect(new Set(ids).size).toBe(20);
    expect(ids[19]).toBe("aigate/other-systems/");
    expect((log.runs as Json[])[19]!.properties.systems).toHaveLength(6);
    expect((log.runs as Json[]).reduce((n, r) => n + r.results.length, 0)).toBe(25);
    expect(validateSchema(log) ? [] : validateSchema.errors).toEqual([]);
    expect(githubProblems(log)).toEqual([]);
  });

  test("more results than GitHub keeps: the most severe are kept and the rest are summarised in a result", () => {
    const fs = Array.from({ length: 6000 }, (_, i) => finding(i, "big", i < 100 ? "error" : "warning"));
    const log = buildSarif(syntheticReport(["big"], fs));
    const run0 = (log.runs as Json[])[0]!;
    expect(run0.results).toHaveLength(SARIF_LIMITS.resultsPerRun);
    expect(run0.results.filter((r: Json) => r.level === "error")).toHaveLength(100);
    const summary = run0.results.at(-1);
    expect(summary.ruleId).toBe(TRUNCATED_RULE_ID);
    expect(summary.message.text).toMatch(/^1001 more findings \(0 errors, 1001 warnings, 0 notes\)/);
    expect(run0.properties.omittedResults).toBe(1001);
    expect(githubProblems(log)).toEqual([]);
  });

  test("over the compressed-size budget: results are cut until the file fits, and the cut is counted", () => {
    const fs = Array.from({ length: 2000 }, (_, i) => finding(i, "big", "warning", { message: `finding ${i} ${Math.random().toString(36).repeat(30)}` }));
    const budget = 60_000;
    const log = buildSarif(syntheticReport(["big"], fs), { gzipBytes: budget });
    expect(gzipSync(JSON.stringify(log)).length).toBeLessThanOrEqual(budget);
    const run0 = (log.runs as Json[])[0]!;
    expect(run0.results.length).toBeLessThan(2000);
    expect(run0.properties.omittedResults + run0.results.length - 1).toBe(2000);
    expect(run0.results.at(-1).ruleId).toBe(TRUNCATED_RULE_ID);
  });

  test("systems whose names slug alike still get distinct categories; paths get the scanned folder as prefix", () => {
    const report = syntheticReport(["Support Bot", "support-bot"], [finding(1, "Support Bot"), finding(2, "support-bot")]);
    report.root = "services/ai";
    const log = buildSarif(report);
    expect((log.runs as Json[]).map((r) => r.automationDetails.id)).toEqual(["aigate/support-bot/", "aigate/support-bot-2/"]);
    expect((log.runs as Json[])[0]!.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("services/ai/Support%20Bot/file-1.py");
  });

  test("accepted findings are suppressed with their justification; fingerprints ignore lines", () => {
    const a = finding(1, "s", "error", { status: "accepted", acceptedBy: "RA-7" });
    const moved = { ...a, line: a.line + 40 };
    const l1 = buildSarif(syntheticReport(["s"], [a]));
    const l2 = buildSarif(syntheticReport(["s"], [moved]));
    const r1 = (l1.runs as Json[])[0]!.results[0];
    expect(r1.suppressions).toEqual([{ kind: "external", status: "accepted", justification: "RA-7" }]);
    expect(r1.partialFingerprints).toEqual((l2.runs as Json[])[0]!.results[0].partialFingerprints);
  });
});
