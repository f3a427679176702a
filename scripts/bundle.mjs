// Bundles the Action and the CLI into dist/ as ES modules that run on Node 20 and Node 24.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { build } from "esbuild";

// WebAssembly the bundle loads at run time (the tree-sitter runtime and grammars): the Action runs
// without node_modules, so they ship in dist/wasm/.
const require = createRequire(import.meta.url);
const WASM = [
  "web-tree-sitter/tree-sitter.wasm",
  "tree-sitter-python/tree-sitter-python.wasm",
  "tree-sitter-javascript/tree-sitter-javascript.wasm",
  "tree-sitter-typescript/tree-sitter-typescript.wasm",
  "tree-sitter-typescript/tree-sitter-tsx.wasm",
];
mkdirSync("dist/wasm", { recursive: true });
for (const file of WASM) copyFileSync(require.resolve(file), join("dist", "wasm", basename(file)));

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "none",
  // Prefer ES module builds: some dependencies ship UMD "main" files that esbuild cannot follow.
  mainFields: ["module", "main"],
  logLevel: "warning",
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __aigateCreateRequire } from 'node:module'; const require = __aigateCreateRequire(import.meta.url);" },
};

await build({ ...common, entryPoints: ["src/action-entry.ts"], outfile: "dist/index.js" });
await build({ ...common, entryPoints: ["src/cli.ts"], outfile: "dist/cli.js" });
