#!/usr/bin/env node
// The CLI entry: the bundled CLI in dist/ (committed), so `npx aigate` works without a build step.
// On Node 22.1 and later, V8 keeps the bundle's compiled code between runs (in the system's
// temporary folder, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off), as tsc does:
// a run's start-up is then a third shorter. Node 20 has no such cache and starts as before.
import module from "node:module";

module.enableCompileCache?.();
await import("../dist/cli.js");
