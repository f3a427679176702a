// Packs select rules by standard: `when: { standards: [...] }` runs a rule only when its control or
// threats map to one of them (a standard, or one of its items); the pack loader checks every id at
// its line, with "did you mean". A real pack run shows the selection end to end.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Analysis } from "../../src/exchange/types.js";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { main } from "../../src/cli.js";
import { ruleApplies } from "../../src/policy/engine.js";
import { loadPacks, PackError } from "../../src/policy/load.js";
import type { Rule } from "../../src/policy/types.js";
import { run } from "../../src/run.js";
import { packageRoot } from "../../src/util/package-root.js";
import { EXAMPLES_TODAY } from "../examples.helpers.js";

const taxonomy = loadTaxonomy();
const dir = mkdtempSync(join(tmpdir(), "aigate-crosswalk-packs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rule = (id: string, control: string, threats: string[], standards: string) =>
  [
    `  - id: ${id}`,
    "    title: t",
    `    control: ${control}`,
    `    threats: [${threats.join(", ")}]`,
    "    severity: error",
    `    when: { standards: ${standards} }`,
    "    check: { kind: manifest, pointer: /noSuchField, required: true }",
    '    message: "m"',
    "    remediation: r",
    "    link: https://example.com/r",
  ].join("\n");

function pack(...rules: string[]): string {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, ["apiVersion: aigate/v1", "kind: PolicyPack", "name: t", "version: '1'", "rules:", ...rules].join("\n") + "\n");
  return file;
}

async function problems(...rules: string[]): Promise<string[]> {
  try {
    await loadPacks(taxonomy, [pack(...rules)], { builtin: false, cwd: dir });
    return [];
  } catch (e) {
    if (!(e instanceof PackError)) throw e;
    return e.problems.map((p) => `${p.line}:${p.column}: ${p.message}`);
  }
}

test("standard ids and items load; unknown ones are errors at their line, with did you mean", async () => {
  expect(await problems(rule("r-one", "OVERSIGHT", [], '[eu-ai-act, "owasp-llm-2025/LLM01", "mitre-atlas/AML.T0051.000"]'))).toEqual([]);
  expect(await problems(rule("r-one", "OVERSIGHT", [], "[eu-act]"))).toEqual([
    expect.stringMatching(/^11:25: rule "r-one": when.standards: unknown standard "eu-act" \(did you mean "eu-ai-act"\?\)/),
  ]);
  expect(await problems(rule("r-one", "OVERSIGHT", [], '[eu-ai-act, "owasp-llm-2025/LLM11"]'))).toEqual([
    '11:36: rule "r-one": when.standards: "owasp-llm-2025/LLM11": owasp-llm-2025 has no item "LLM11" (did you mean "owasp-llm-2025/LLM01" or "owasp-llm-2025/LLM10"?)',
  ]);
  expect((await problems(rule("r-one", "OVERSIGHT", [], '["not a standard!"]')))[0]).toMatch(/^11:/);
});

test("a rule runs only when it maps to one of the selectors", () => {
  const analysis = {
    controls: [
      { id: "OVERSIGHT", applies: true },
      { id: "RATELIMIT", applies: true },
    ],
    threats: [],
    facts: {},
  } as unknown as Analysis;
  const r = (control: string, threats: string[], standards: string[]): Rule => ({
    id: "x",
    title: "t",
    control,
    threats,
    severity: "error",
    when: { standards },
    check: { kind: "manifest" },
    message: "m",
    remediation: "r",
    link: "https://example.com",
  });
  expect(ruleApplies(r("OVERSIGHT", [], ["eu-ai-act"]), analysis)).toBe("ran");
  expect(ruleApplies(r("OVERSIGHT", [], ["eu-ai-act/Art.14"]), analysis)).toBe("ran");
  expect(ruleApplies(r("OVERSIGHT", [], ["eu-ai-act/Art.15"]), analysis)).toBe("when-not-met");
  expect(ruleApplies(r("RATELIMIT", [], ["owasp-llm-2025/LLM01"]), analysis)).toBe("when-not-met");
  // Through a threat: RATELIMIT guarding against prompt injection maps to LLM01.
  expect(ruleApplies(r("RATELIMIT", ["PROMPTINJECTION"], ["owasp-llm-2025/LLM01", "iso-42001"]), analysis)).toBe("ran");
});

test("end to end: of two organisation rules, only the one that maps to the selected clause reports", async () => {
  const file = pack(rule("org-oversight-art14", "OVERSIGHT", [], '["eu-ai-act/Art.14"]'), rule("org-ratelimit-art14", "RATELIMIT", [], '["eu-ai-act/Art.14"]'));
  const report = await run({ root: join(packageRoot(), "examples", "ops-agent"), today: EXAMPLES_TODAY, policyFiles: [file] });
  const ids = report.findings.map((f) => f.ruleId).filter((x) => x.startsWith("org-"));
  expect(ids).toEqual(["org-oversight-art14"]);
});

test("an unknown --standard exits 2 (usage) with did you mean", async () => {
  const err: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((s: string | Uint8Array) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    expect(await main(["explain", join(packageRoot(), "examples", "support-assistant"), "--standard", "nist-rmf"])).toBe(2);
  } finally {
    process.stderr.write = write;
  }
  expect(err.join("")).toMatch(/aigate: --standard: unknown standard "nist-rmf" \(did you mean "nist-ai-rmf"\?\)/);
});
