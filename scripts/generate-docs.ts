// Writes docs/rules.md and docs/controls.md from the built-in pack and the taxonomy.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { generatedDocs } from "../src/docs.js";
import { packageRoot } from "../src/util/package-root.js";

for (const [path, text] of Object.entries(await generatedDocs())) {
  mkdirSync(dirname(join(packageRoot(), path)), { recursive: true });
  writeFileSync(join(packageRoot(), path), text);
  console.log(`wrote ${path}`);
}
