// Writes docs/rules.md and docs/controls.md from the built-in pack, the diagnostics and the
// taxonomy, and the command-line reference in README.md (between its markers) from src/cli.ts.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { generatedDocs, readmeWithCliReference } from "../src/docs.js";
import { packageRoot } from "../src/util/package-root.js";

for (const [path, text] of Object.entries(await generatedDocs())) {
  mkdirSync(dirname(join(packageRoot(), path)), { recursive: true });
  writeFileSync(join(packageRoot(), path), text);
  console.log(`wrote ${path}`);
}
const readme = join(packageRoot(), "README.md");
const before = readFileSync(readme, "utf8");
const after = readmeWithCliReference(before);
if (after !== before) {
  writeFileSync(readme, after);
  console.log("wrote the command-line reference in README.md");
}
