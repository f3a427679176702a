// Writes docs/rules.md and docs/controls.md from the built-in pack, the diagnostics and the
// taxonomy, and README.md's generated parts (between their markers): the command-line reference
// from src/cli.ts and the tables of check kinds, model formats and reporters (src/readme-tables.ts).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { generatedDocs, readmeWithCliReference } from "../src/docs.js";
import { readmeWithTables } from "../src/readme-tables.js";
import { packageRoot } from "../src/util/package-root.js";

for (const [path, text] of Object.entries(await generatedDocs())) {
  mkdirSync(dirname(join(packageRoot(), path)), { recursive: true });
  writeFileSync(join(packageRoot(), path), text);
  console.log(`wrote ${path}`);
}
const readme = join(packageRoot(), "README.md");
const before = readFileSync(readme, "utf8");
const after = readmeWithTables(readmeWithCliReference(before));
if (after !== before) {
  writeFileSync(readme, after);
  console.log("wrote the command-line reference and the registry tables in README.md");
}
