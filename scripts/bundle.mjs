// Bundles the Action and the CLI into dist/ as ES modules that run on Node 20 and Node 24.
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "none",
  logLevel: "warning",
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __aigateCreateRequire } from 'node:module'; const require = __aigateCreateRequire(import.meta.url);" },
};

await build({ ...common, entryPoints: ["src/action.ts"], outfile: "dist/index.js" });
await build({ ...common, entryPoints: ["src/cli.ts"], outfile: "dist/cli.js" });
