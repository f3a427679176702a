// Measures of how the code is kept, for docs/development.md's "Measures": units without tests,
// the largest functions, import cycles. Run: npx tsx scripts/measure-house.ts
// (Coverage comes from jest --coverage; the files touched to add a unit from a probe clone.)
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { loadTaxonomy } from "../src/exchange/taxonomy.js";
import { MODEL_FORMATS } from "../src/inventory/scanners/models/formats/index.js";
import { OBSERVATION_KINDS } from "../src/inventory/observation-kinds.js";
import { CHECK_KINDS } from "../src/policy/checks/index.js";
import { loadPacks } from "../src/policy/load.js";
import { RuleTester } from "../src/policy/rule-tester.js";
import { packageRoot } from "../src/util/package-root.js";
import { importCycles, importGraph, sourceFiles } from "./house/import-graph.js";

const root = packageRoot();
const read = (p: string) => readFileSync(join(root, p), "utf8");

/** One function's size: its name and where it is, and its lines. */
export interface FunctionSize {
  name: string;
  at: string;
  lines: number;
}

/** Every named function, method and function-valued variable or property of the sources, largest first. */
export function functionSizes(files: readonly string[]): FunctionSize[] {
  const out: FunctionSize[] = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
    const visit = (node: ts.Node) => {
      let name: string | undefined;
      if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.body) name = node.name?.getText(sf) ?? "(default)";
      else if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && (ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent)))
        name = node.parent.name.getText(sf);
      if (name) {
        const start = lineOf(node.getStart(sf));
        out.push({ name, at: `${file}:${start}`, lines: lineOf(node.getEnd()) - start + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out.sort((a, b) => b.lines - a.lines || a.at.localeCompare(b.at));
}

const pack = await loadPacks(loadTaxonomy(), [], { useSnapshot: false });
// The rule test files, imported with a RuleTester that only records (as __tests__/rules/coverage.test.ts does).
RuleTester.describe = (_name, fn) => fn();
RuleTester.it = () => {};
for (const f of readdirSync(join(root, "__tests__/rules"))
  .filter((f) => f.endsWith(".test.ts") && f !== "coverage.test.ts")
  .sort())
  await import(pathToFileURL(join(root, "__tests__/rules", f)).href);
const testedIds = new Set([...RuleTester.registered].filter(([, c]) => c.valid > 0 && c.invalid > 0).map(([id]) => id));
const untestedRules = pack.rules.map((r) => r.id).filter((id) => !testedIds.has(id));
const usedKinds = new Set(pack.rules.filter((r) => testedIds.has(r.id)).map((r) => r.check.kind));
const untestedKinds = CHECK_KINDS.map((k) => k.meta.kind).filter((k) => !usedKinds.has(k));
const registryTest = read("__tests__/inventory/models-registry.test.ts");
const sniffable = MODEL_FORMATS.filter((f) => f.sniff);
const untestedFormats = sniffable.map((f) => f.id).filter((id) => !registryTest.includes(`"${id}":`) && !registryTest.includes(`  ${id}:`));
const cycles = importCycles(importGraph(root, "src"));
const sizes = functionSizes(sourceFiles(root, "src").filter((f) => !f.startsWith("src/generated/")));

console.log(`| measure | value |\n| --- | --- |`);
console.log(
  `| built-in rules without a RuleTester case | ${untestedRules.length} of ${pack.rules.length}${untestedRules.length ? ` (${untestedRules.join(", ")})` : ""} |`,
);
console.log(
  `| check kinds no tested built-in rule uses | ${untestedKinds.length} of ${CHECK_KINDS.length}${untestedKinds.length ? ` (${untestedKinds.join(", ")})` : ""} |`,
);
console.log(`| observation kinds | ${OBSERVATION_KINDS.length} (each must be produced by a fixture: __tests__/policy/observation-kinds.test.ts) |`);
console.log(
  `| model formats detected by content without a detection test | ${untestedFormats.length} of ${sniffable.length}${untestedFormats.length ? ` (${untestedFormats.join(", ")})` : ""} |`,
);
console.log(`| import cycles in src/ (load time) | ${cycles.length} |`);
console.log(`\nThe 10 largest functions (lines):\n\n| function | where | lines |\n| --- | --- | --- |`);
for (const f of sizes.slice(0, 10)) console.log(`| \`${f.name}\` | ${f.at} | ${f.lines} |`);
