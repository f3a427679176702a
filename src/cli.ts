// The aigate command line: check, explain. Exit status 0 (passed), 1 (gate failed), 2 (usage or
// configuration error).
import { stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { renderExplain } from "./explain.js";
import { initManifest } from "./init.js";
import { PackError } from "./policy/load.js";
import { REPORTERS, reporter } from "./report/index.js";
import type { FailOn } from "./report/types.js";
import { ConfigError, DEFAULT_MANIFEST_GLOB, run } from "./run.js";
import { writeBaseline } from "./baseline.js";
import { applyLocalScope, SCOPES, type Scope } from "./scope.js";
import { VERSION } from "./version.js";

export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

const isoDate = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) throw new InvalidArgumentError("expected YYYY-MM-DD");
  return v;
};

export function buildProgram(io: { stdout: (s: string) => void; stderr: (s: string) => void; setExit: (code: number) => void }): Command {
  const program = new Command("aigate")
    .description("Gate merges on AI security controls: OWASP AI Exchange risk analysis and policy checks for AI systems.")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command("check")
    .description("analyse every AI system in a folder and evaluate the policy rules against its manifest and files")
    .argument("[dir]", "repository folder to check", ".")
    .option("-m, --manifest <glob>", "glob that finds the manifests", DEFAULT_MANIFEST_GLOB)
    .option("-p, --policy <file...>", "organisation policy packs, loaded after the built-in pack")
    .addOption(new Option("-f, --format <format>", "output format").choices(REPORTERS.map((r) => r.meta.format)).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .addOption(new Option("--fail-on <severity>", "lowest severity of an open finding that fails the gate").choices(["error", "warning", "note", "never"]).default("error"))
    .option("--today <date>", "evaluate expiries as of this date (YYYY-MM-DD, default: today in UTC)", isoDate)
    .option("--no-color", "no colours in text output")
    .option("--baseline <file>", "baseline file (written by `aigate baseline`): the findings it lists are reported as baselined and never fail the gate")
    .addOption(new Option("--scope <scope>", "which findings can fail the gate: all, or only those on lines changed since --base (the rest are pre-existing)").choices(SCOPES).default("all"))
    .option("--base <ref>", "git branch or commit to compare with for --scope changed (diffs from the merge base with HEAD, uncommitted edits included)")
    .action(async (dir: string, o: { manifest: string; policy?: string[]; format: string; output?: string; failOn: FailOn; today?: string; color: boolean; baseline?: string; scope: Scope; base?: string }) => {
      const report = await run({ root: resolve(dir), manifestGlob: o.manifest, policyFiles: o.policy, failOn: o.failOn, today: o.today });
      report.root = dir;
      await applyLocalScope(report, { root: resolve(dir), scope: o.scope, base: o.base, baseline: o.baseline });
      const text = reporter(o.format)!.render(report, { color: o.color && !o.output && process.stdout.isTTY === true });
      if (o.output) {
        await writeFile(o.output, text);
        io.stderr(`aigate: report written to ${o.output}; gate ${report.summary.passed ? "passed" : "failed"}\n`);
      } else io.stdout(text);
      io.setExit(report.summary.passed ? EXIT.passed : EXIT.failed);
    });

  program
    .command("baseline")
    .description("write the fingerprints of every current finding to a baseline file; `check --baseline FILE` then reports them as known and never fails on them")
    .argument("[dir]", "repository folder", ".")
    .option("-m, --manifest <glob>", "glob that finds the manifests", DEFAULT_MANIFEST_GLOB)
    .option("-p, --policy <file...>", "organisation policy packs, loaded after the built-in pack")
    .option("-o, --output <file>", "baseline file to write", "aigate-baseline.json")
    .option("--today <date>", "evaluate expiries as of this date (YYYY-MM-DD, default: today in UTC)", isoDate)
    .action(async (dir: string, o: { manifest: string; policy?: string[]; output: string; today?: string }) => {
      const report = await run({ root: resolve(dir), manifestGlob: o.manifest, policyFiles: o.policy, failOn: "never", today: o.today });
      const b = await writeBaseline(o.output, report);
      io.stderr(`aigate: baseline of ${b.findings.length} findings written to ${o.output}\n`);
      io.setExit(EXIT.passed);
    });

  program
    .command("init")
    .description("write a starting ai-system.yaml inferred from the repository (profile, models, datasets, tools), each inferred line commented with its source")
    .argument("[dir]", "repository folder", ".")
    .option("-o, --output <file>", "where to write the manifest (default: <dir>/ai-system.yaml; - for standard output)")
    .option("--force", "overwrite an existing manifest")
    .action(async (dir: string, o: { output?: string; force?: boolean }) => {
      const root = resolve(dir);
      if (!(await stat(root).catch(() => undefined))?.isDirectory()) throw new ConfigError(`not a folder: ${dir}`);
      const yaml = await initManifest(root);
      if (o.output === "-") {
        io.stdout(yaml);
      } else {
        const target = o.output ?? join(root, "ai-system.yaml");
        if (!o.force && (await stat(target).catch(() => undefined))) throw new ConfigError(`${target} exists; use --force to overwrite it or --output to write elsewhere`);
        await writeFile(target, yaml);
        io.stderr(`aigate: wrote ${target}; review every line, state the facts left open, then run aigate check\n`);
      }
      io.setExit(EXIT.passed);
    });

  program
    .command("explain")
    .description("show which Exchange threats apply to each system and why, and which controls follow")
    .argument("[dir-or-manifest]", "repository folder, or one manifest file", ".")
    .option("-m, --manifest <glob>", "glob that finds the manifests", DEFAULT_MANIFEST_GLOB)
    .option("--json", "print the systems' analysis as JSON")
    .action(async (target: string, o: { manifest: string; json?: boolean }) => {
      const isFile = (await stat(target).catch(() => undefined))?.isFile() === true;
      const root = resolve(isFile ? dirname(target) : target);
      const report = await run({ root, manifestGlob: isFile ? basename(target) : o.manifest, failOn: "never" });
      if (o.json) io.stdout(JSON.stringify(report.systems, null, 2) + "\n");
      else io.stdout(report.systems.map(renderExplain).join("\n") || "no AI system manifest found\n");
      io.setExit(EXIT.passed);
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.passed;
  const io = { stdout: (s: string) => void process.stdout.write(s), stderr: (s: string) => void process.stderr.write(s), setExit: (c: number) => (code = c) };
  try {
    await buildProgram(io).parseAsync(argv, { from: "user" });
    return code;
  } catch (e) {
    const err = e as { code?: string; exitCode?: number };
    if (typeof err.code === "string" && err.code.startsWith("commander.")) {
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help" ? EXIT.passed : EXIT.usage;
    }
    if (e instanceof PackError) io.stderr(`aigate: invalid policy pack:\n${e.message}\n`);
    else if (e instanceof ConfigError) io.stderr(`aigate: ${e.message}\n`);
    else io.stderr(`aigate: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.usage;
  }
}

// Run when executed directly (the bundle in dist/cli.js, or `tsx src/cli.ts`).
const invoked = process.argv[1] ? resolve(process.argv[1]) : "";
if (/(?:dist[\\/]cli\.js|src[\\/]cli\.ts|bin[\\/]aigate(?:\.js)?)$/.test(invoked)) {
  main(process.argv.slice(2)).then((c) => process.exit(c));
}
