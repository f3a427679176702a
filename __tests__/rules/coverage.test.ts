// Every rule is tested: each built-in rule (policies/builtin/*.yaml, as loadPacks reads them) and
// each diagnostic (policies/diagnostics.yaml) has at least one valid and one invalid RuleTester case
// in __tests__/rules/, every tested id is a rule, and every check kind is used by a tested built-in
// rule, and every rule's and diagnostic's section of docs/rules.md has the fixed headings. The rule
// test files are imported here with a describe/it that only records, so their cases are counted, not run.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { RULE_HEADINGS } from "../../src/docs.js";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { diagnosticCatalogue } from "../../src/findings/diagnostics.js";
import { CHECK_KINDS } from "../../src/policy/checks/index.js";
import { loadPacks } from "../../src/policy/load.js";
import { RuleTester } from "../../src/policy/rule-tester.js";

const here = join(process.cwd(), "__tests__", "rules");

let tested: Map<string, { valid: number; invalid: number }>;
let rules: string[];
let kindOf: Map<string, string>;
beforeAll(async () => {
  RuleTester.describe = (_name, fn) => fn();
  RuleTester.it = () => {};
  try {
    for (const f of readdirSync(here)
      .filter((f) => f.endsWith(".test.ts") && f !== "coverage.test.ts")
      .sort())
      await import(pathToFileURL(join(here, f)).href);
  } finally {
    RuleTester.describe = undefined;
    RuleTester.it = undefined;
  }
  tested = RuleTester.registered;
  const pack = await loadPacks(loadTaxonomy(), [], { useSnapshot: false });
  rules = [...pack.rules.map((r) => r.id), ...diagnosticCatalogue().keys()];
  kindOf = new Map(pack.rules.map((r) => [r.id, r.check.kind]));
});

test("every built-in rule and diagnostic has a valid and an invalid case", () => {
  const missing = rules.filter((id) => !tested.get(id)?.valid || !tested.get(id)?.invalid);
  expect(missing).toEqual([]);
});

test("every tested id is a built-in rule or a diagnostic", () => {
  expect([...tested.keys()].filter((id) => !rules.includes(id))).toEqual([]);
});

test("every check kind is used by a built-in rule that has cases", () => {
  const used = new Set([...tested.keys()].map((id) => kindOf.get(id)));
  expect(CHECK_KINDS.map((k) => k.meta.kind).filter((k) => !used.has(k))).toEqual([]);
});

test("every rule and diagnostic has a section in docs/rules.md with the fixed headings, each followed by text", () => {
  const doc = readFileSync(join(process.cwd(), "docs", "rules.md"), "utf8");
  const sections = new Map(
    doc
      .split(/^(?=### `)/m)
      .slice(1)
      .map((s) => [/^### `([^`]+)`/.exec(s)![1]!, s]),
  );
  const wrong = rules.filter((id) => {
    const s = sections.get(id);
    if (!s) return true;
    let at = 0;
    for (const heading of Object.values(RULE_HEADINGS)) {
      const i = s.indexOf(`\n${heading}\n\n`, at);
      if (i < 0 || !/^\S/.test(s.slice(i + heading.length + 3))) return true;
      at = i + heading.length;
    }
    return false;
  });
  expect(wrong).toEqual([]);
});
