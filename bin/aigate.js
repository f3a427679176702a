#!/usr/bin/env node
// The CLI entry: the bundled CLI in dist/ (committed), so `npx aigate` works without a build step.
import "../dist/cli.js";
