// ROOT_TYPES (tree-walk.ts) lists the node types each analyzer asks of a file's root, so that a
// grammar's first file is walked once for all of them. An analyzer that asks a type the list lacks
// still works (one more walk per new type); this test fails then, naming the type to add.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseSource, type LanguageId } from "../../../../src/inventory/scanners/code/parser.js";
import { scanCodeFile } from "../../../../src/inventory/scanners/code/scanner.js";
import { ROOT_TYPES, typesAskedOfRoots } from "../../../../src/inventory/scanners/code/tree-walk.js";
import { packageRoot } from "../../../../src/util/package-root.js";

const CODE = /\.(py|js|mjs|cjs|jsx|ts|tsx|ipynb)$/;

function sourcesIn(dir: string): string[] {
  return readdirSync(join(packageRoot(), dir), { recursive: true, encoding: "utf8" })
    .filter((f) => CODE.test(f))
    .sort()
    .map((f) => join(dir, f));
}

test("every type the analyzers ask of a root is in ROOT_TYPES", async () => {
  const files = [...sourcesIn("__tests__/inventory/scanners/code/fixtures"), ...sourcesIn("examples")];
  expect(files.length).toBeGreaterThan(20);
  for (const path of files) {
    const bytes = readFileSync(join(packageRoot(), path));
    await scanCodeFile({ path, size: bytes.length }, async (_p, pos, len) => bytes.subarray(pos, pos + len));
  }
  const langs: [LanguageId, keyof typeof ROOT_TYPES][] = [
    ["python", "python"],
    ["javascript", "js"],
    ["typescript", "js"],
    ["tsx", "js"],
  ];
  for (const [lang, analyzer] of langs) {
    const tree = (await parseSource(lang, "x"))!;
    const asked = [...typesAskedOfRoots(tree.language)];
    tree.delete();
    expect([lang, asked.length > 0]).toEqual([lang, true]);
    expect([lang, asked.filter((t) => !(ROOT_TYPES[analyzer] as readonly string[]).includes(t))]).toEqual([lang, []]);
  }
});
