#!/usr/bin/env node
// The CLI entry: the bundled CLI in dist/ (committed), so `npx aigate` works without a build step.
// On Node 22.1 and later, V8 keeps the bundle's compiled code between runs, as tsc does: start-up
// is then a third shorter. In a folder of this user's (XDG_CACHE_HOME or ~/.cache, aigate/
// compile-cache), not Node's default in the shared temporary folder, where another account could
// leave code for V8 to load; NODE_COMPILE_CACHE chooses another folder, NODE_DISABLE_COMPILE_CACHE=1
// turns it off. The scan workers inherit it through the environment. Node 20 has no such cache.
import module from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";

if (module.enableCompileCache && !process.env.NODE_DISABLE_COMPILE_CACHE) {
  const dir = process.env.NODE_COMPILE_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "aigate", "compile-cache");
  const enabled = module.enableCompileCache(dir);
  if (enabled.directory) process.env.NODE_COMPILE_CACHE = enabled.directory;
}
await import("../dist/cli.js");
