// Bundles the Action, the CLI and the scan worker into dist/ as ES modules that run on Node 20 and
// Node 24. Code shared by the entries and code loaded on demand (dynamic import(): tree-sitter,
// Parquet, decompressors) are chunks beside them, so a run loads only what it uses: `--version`
// does not compile the scanners. `node scripts/bundle.mjs --outdir DIR` writes elsewhere.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { build } from "esbuild";

const at = process.argv.indexOf("--outdir");
const outdir = at > 0 ? process.argv[at + 1] : "dist";

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
mkdirSync(join(outdir, "wasm"), { recursive: true });
for (const file of WASM) copyFileSync(require.resolve(file), join(outdir, "wasm", basename(file)));
// Chunks of an earlier build: their names carry a content hash, so old ones would pile up.
for (const name of readdirSync(outdir)) if (/^chunk-[A-Z0-9]+\.js$/.test(name)) rmSync(join(outdir, name));

await build({
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "none",
  // Whitespace and syntax only: names stay readable in a stack trace.
  minifyWhitespace: true,
  minifySyntax: true,
  splitting: true,
  outdir,
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
  entryPoints: { index: "src/action-entry.ts", cli: "src/cli.ts", "scan-worker": "src/inventory/scan-worker.ts" },
  // Prefer ES module builds: some dependencies ship UMD "main" files that esbuild cannot follow.
  mainFields: ["module", "main"],
  logLevel: "warning",
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __aigateCreateRequire } from 'node:module'; const require = __aigateCreateRequire(import.meta.url);" },
});
