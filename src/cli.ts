// The aigate command line: check, explain. Exit status 0 (passed), 1 (gate failed), 2 (usage or
// configuration error).
import { stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { Command, Option } from "commander";
import { collect, isoDate, threadCount } from "./cli-options.js";
import { addBomCommand } from "./bom/command.js";
import { addConfigOptions, configuredRun } from "./config/cli.js";
import { addOrgCommands } from "./org/command.js";
import { addPacksCommand } from "./packs/command.js";
import { resolveSelector } from "./crosswalk/index.js";
import { renderExplain, renderExplainStandard, renderRefs, type RefsSubject } from "./explain.js";
import { loadTaxonomy } from "./exchange/taxonomy.js";
import { diagnosticCatalogue } from "./findings/diagnostics.js";
import { loadPacks } from "./policy/load.js";
import { didYouMean } from "./util/suggest.js";
import { initSystem } from "./init.js";
import { PackError } from "./policy/load.js";
import { REPORTERS, reporter } from "./report/index.js";
import type { FailOn } from "./report/types.js";
import type { Severity } from "./findings/types.js";
import { DEFAULT_MANIFEST_GLOB, prewarmFor } from "./run.js";
import { startWalk, type UntrackedListing } from "./inventory/walk.js";
import { createBaseline } from "./baseline.js";
import { ConfigError } from "./errors.js";
import { ConfigFileError } from "./config/load.js";
import { diffFromGit } from "./github/diff.js";
import { gitBaseReader } from "./trusted.js";
import { findRepository, resolveCommit } from "./util/git.js";
import { termText } from "./util/escape.js";
import { UnsafePathError, writeOutputFile } from "./util/safe-fs.js";
import { SCOPES, type Scope } from "./verdict.js";
import { VERSION } from "./version.js";
import { stageDone } from "./util/timing.js";

export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

/** What the command line writes to and reads about its terminal (tests pass their own). */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  setExit: (code: number) => void;
  /** Environment for NO_COLOR / FORCE_COLOR (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Whether standard output / standard error is a terminal (default: process.stdout/stderr.isTTY). */
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  /** The folder paths are shown relative to (default: process.cwd()). */
  cwd?: string;
}

/**
 * Colour in text output: never with --no-color or into a file; else FORCE_COLOR (any value but
 * 0/false) forces it and NO_COLOR (any non-empty value) turns it off; else only on a terminal.
 */
export function useColor(flag: boolean, toFile: boolean, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (!flag || toFile) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !/^(0|false)$/i.test(force.trim());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY;
}

/** A progress line on standard error for runs that take over a second, only on a terminal; cleared when done. */
export function startProgress(label: string, write: (s: string) => void, isTTY: boolean, delayMs = 1000): () => void {
  if (!isTTY) return () => {};
  const started = Date.now();
  let shown = false;
  const tick = () => {
    shown = true;
    write(`\r\u001b[2Kaigate: ${label} (${Math.round((Date.now() - started) / 1000)}s)`);
  };
  let timer: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    tick();
    timer = setInterval(tick, 1000);
    timer.unref?.();
  }, delayMs);
  first.unref?.();
  return () => {
    clearTimeout(first);
    if (timer) clearInterval(timer);
    if (shown) write("\r\u001b[2K");
  };
}

/** `dir` as seen from `cwd` (POSIX), for locations people can click: "" when it is `cwd`. */
export function displayPrefix(cwd: string, root: string): string {
  const rel = relative(cwd, root);
  if (rel === "") return "";
  if (isAbsolute(rel)) return root.split(sep).join("/");
  return rel.split(sep).join("/");
}

export function buildProgram(io: CliIO): Command {
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const program = new Command("aigate")
    .description("Gate merges on AI security controls: OWASP AI Exchange risk analysis and policy checks for AI systems.")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const check = program
    .command("check")
    .description("analyse every AI system in a folder and evaluate the policy rules against its manifest and files")
    .argument("[dir]", "repository folder to check", ".")
    .option("-m, --manifest <glob>", "glob that finds the manifests", DEFAULT_MANIFEST_GLOB)
    .option("-p, --policy <file>", "an organisation policy pack, loaded after the built-in pack (repeat for several)", collect, [] as string[])
    .addOption(new Option("-f, --format <format>", "output format").choices(REPORTERS.map((r) => r.meta.format)).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .addOption(
      new Option("--fail-on <severity>", "lowest severity of an open finding that fails the gate")
        .choices(["error", "warning", "note", "never"])
        .default("error"),
    )
    .option("--today <date>", "evaluate expiries as of this date (YYYY-MM-DD, default: today in UTC)", isoDate)
    .option("--no-color", "no colours in text output (also NO_COLOR=1; FORCE_COLOR=1 forces them)")
    .option("-q, --quiet", "text output: only the findings that fail the gate, one line each, and the verdict")
    .addOption(
      new Option("--min-severity <severity>", "text output: list only open findings at or above this severity (the others are counted)")
        .choices(["error", "warning", "note"])
        .default("note"),
    )
    .option("--baseline <file>", "baseline file (written by `aigate baseline`): the findings it lists are reported as baselined and never fail the gate")
    .addOption(
      new Option("--scope <scope>", "which findings can fail the gate: all, or only those on lines changed since --base (the rest are pre-existing)")
        .choices(SCOPES)
        .default("all"),
    )
    .option(
      "--base <ref>",
      "git branch or commit the change is compared with: the gate's configuration (in-repository packs, baseline, risk acceptances, ignore globs, inline suppressions) is read from it, and --scope changed diffs from the merge base with HEAD, uncommitted edits included",
    )
    .option("--repository <owner/name>", "the repository the report is about, recorded in the JSON report (for aigate merge)")
    .option(
      "--standard <id>",
      "text and markdown: each system's controls grouped by this standard's clauses, with their status (e.g. eu-ai-act, owasp-llm-2025, nist-ai-rmf)",
    )
    .option(
      "--cache-dir <dir>",
      "scan cache folder, outside the repository: a file whose bytes are unchanged since an earlier run there is not scanned again (the report is the same); default: no cache",
    )
    .option(
      "--threads <n>",
      "threads that scan files, this one included (1 to 64; default: AIGATE_SCAN_THREADS, else one per core, within a container's CPU quota); the report is the same bytes whatever the count",
      threadCount,
    )
    .action(
      async (
        dir: string,
        o: {
          manifest: string;
          policy?: string[];
          format: string;
          output?: string;
          failOn: FailOn;
          today?: string;
          color: boolean;
          quiet?: boolean;
          minSeverity: Severity;
          baseline?: string;
          scope: Scope;
          base?: string;
          repository?: string;
          cacheDir?: string;
          threads?: number;
          standard?: string;
        },
        cmd: Command,
      ) => {
        const standard = o.standard === undefined ? undefined : standardOption(o.standard);
        const root = resolve(cwd, dir);
        if (o.scope === "changed" && !o.base) throw new ConfigError("--scope changed needs --base <ref> (the branch or commit to compare with)");
        stageDone("start-up (Node, the bundle, the command line)");
        const stop = startProgress(`checking ${termText(dir, 200)}`, io.stderr, io.stderrIsTTY ?? process.stderr.isTTY === true);
        let report;
        try {
          // The walk needs nothing the base or the configuration says: it lists and stats the files
          // while git answers for those.
          const cacheDir = o.cacheDir ? resolve(cwd, o.cacheDir) : undefined;
          const { walk, untracked } = startWalk(root, prewarmFor({ scope: o.scope, cacheDir, threads: o.threads }));
          const change = o.base ? await localBase(root, o.base, untracked) : { base: null, diff: null };
          // aigate.yml fills in what the flags leave unset (config/cli.ts).
          report = await configuredRun(cmd, {
            root,
            cwd,
            today: o.today,
            base: change.base,
            diff: change.diff,
            repository: o.repository,
            writeOutputs: true,
            env,
            log: (l) => io.stderr(`aigate: ${termText(l)}\n`),
            extra: { walk, ...(cacheDir ? { cacheDir } : {}), ...(o.threads ? { threads: o.threads } : {}) },
          });
        } finally {
          stop();
        }
        report.root = dir;
        const color = useColor(o.color, o.output !== undefined, env, io.stdoutIsTTY ?? process.stdout.isTTY === true);
        const text = reporter(o.format)!.render(report, {
          color,
          pathPrefix: o.output ? undefined : displayPrefix(cwd, root),
          quiet: o.quiet,
          minSeverity: o.minSeverity,
          dir,
          standard,
        });
        if (o.output) {
          await writeOutputFile(o.output, text);
          stageDone("report rendered and written");
          io.stderr(`aigate: report written to ${o.output}; gate ${report.summary.passed ? "passed" : "failed"}\n`);
        } else io.stdout(text);
        io.setExit(report.summary.passed ? EXIT.passed : EXIT.failed);
      },
    );
  addConfigOptions(check);

  const baseline = program
    .command("baseline")
    .description(
      "write the fingerprints of every current finding to a baseline file; `check --baseline FILE` then reports them as known and never fails on them",
    )
    .argument("[dir]", "repository folder", ".")
    .option("-m, --manifest <glob>", "glob that finds the manifests", DEFAULT_MANIFEST_GLOB)
    .option("-p, --policy <file>", "an organisation policy pack, loaded after the built-in pack (repeat for several)", collect, [] as string[])
    .option("-o, --output <file>", "baseline file to write", "aigate-baseline.json")
    .option("--today <date>", "evaluate expiries as of this date (YYYY-MM-DD, default: today in UTC)", isoDate)
    .action(async (dir: string, o: { manifest: string; policy?: string[]; output: string; today?: string }, cmd: Command) => {
      const report = await configuredRun(cmd, {
        root: resolve(cwd, dir),
        cwd,
        today: o.today,
        base: null,
        diff: null,
        failOn: "never",
        env,
        log: (l) => io.stderr(`aigate: ${termText(l)}\n`),
      });
      const b = createBaseline(report);
      await writeOutputFile(o.output, JSON.stringify(b, null, 2) + "\n");
      io.stderr(`aigate: baseline of ${b.findings.length} findings written to ${o.output}\n`);
      io.setExit(EXIT.passed);
    });
  addConfigOptions(baseline);

  program
    .command("init")
    .description(
      "write a starting ai-system.yaml inferred from the repository (owner, profile, models, datasets, tools): each inferred value names its source, each value it could not infer is an UNKNOWN question that check reports until answered",
    )
    .argument("[dir]", "repository folder", ".")
    .option("-o, --output <file>", "where to write the manifest (default: <dir>/ai-system.yaml; - for standard output)")
    .option("--force", "overwrite an existing manifest")
    .action(async (dir: string, o: { output?: string; force?: boolean }) => {
      const root = resolve(cwd, dir);
      if (!(await stat(root).catch(() => undefined))?.isDirectory()) throw new ConfigError(`not a folder: ${dir}`);
      const target = o.output && o.output !== "-" ? resolve(cwd, o.output) : join(root, "ai-system.yaml");
      if (o.output !== "-" && !o.force && (await stat(target).catch(() => undefined)))
        throw new ConfigError(`${target} exists; use --force to overwrite it or --output to write elsewhere`);
      const stop = startProgress(`reading ${termText(dir, 200)}`, io.stderr, io.stderrIsTTY ?? process.stderr.isTTY === true);
      const result = await initSystem(root, { manifestDir: dirname(target) }).finally(stop);
      const what = [
        `${result.inferred.models} model${result.inferred.models === 1 ? "" : "s"}`,
        `${result.inferred.tools} tool${result.inferred.tools === 1 ? "" : "s"}`,
        `${result.inferred.datasets} dataset${result.inferred.datasets === 1 ? "" : "s"}`,
        `${result.inferred.facts} profile fact${result.inferred.facts === 1 ? "" : "s"}`,
      ].join(", ");
      const left = result.subsystems.length
        ? `; left out ${result.subsystems.length} folder${result.subsystems.length === 1 ? "" : "s"} with their own manifest`
        : "";
      const next = `${result.questions} question${result.questions === 1 ? "" : "s"} marked UNKNOWN to answer`;
      if (o.output === "-") {
        io.stdout(result.text);
        io.stderr(`aigate: inferred ${what}${left}; ${next}\n`);
      } else {
        await writeOutputFile(target, result.text);
        const shown = o.output ?? join(dir, "ai-system.yaml");
        const checkDir = dir === "." ? "" : ` ${termText(dir, 200)}`;
        io.stderr(
          `aigate: wrote ${termText(shown)}: inferred ${what}${left}; ${next}.\nNext: answer each UNKNOWN in the file and delete its marker, then run \`aigate check${checkDir}\`.\n`,
        );
      }
      io.setExit(EXIT.passed);
    });

  const explain = program
    .command("explain")
    .description("show which Exchange threats apply to each system and why, and which controls follow")
    .argument("[dir-or-manifest]", "repository folder, or one manifest file", ".")
    .option("-m, --manifest <glob>", "glob that finds the manifests", DEFAULT_MANIFEST_GLOB)
    .option("--json", "print the systems' analysis as JSON")
    .option("--standard <id>", "instead: each system's controls grouped by this standard's clauses, with their status (e.g. eu-ai-act)")
    .option("--rule <id>", "instead: the references of a rule (or an Exchange control or threat) in other standards, and where each comes from");
  addConfigOptions(explain).action(async (target: string, o: { manifest: string; json?: boolean; standard?: string; rule?: string }) => {
    if (o.rule !== undefined) {
      io.stdout(renderRefs(await refsSubject(o.rule)));
      io.setExit(EXIT.passed);
      return;
    }
    const standard = o.standard === undefined ? undefined : standardOption(o.standard);
    const isFile = (await stat(resolve(cwd, target)).catch(() => undefined))?.isFile() === true;
    const root = resolve(cwd, isFile ? dirname(target) : target);
    // The same configuration as check (aigate.yml: manifests, packs); a manifest file named here is the one explained.
    if (isFile) explain.setOptionValueWithSource("manifest", basename(target), "cli");
    const report = await configuredRun(explain, { root, cwd, base: null, diff: null, failOn: "never", log: (l) => io.stderr(`aigate: ${termText(l)}\n`) });
    if (o.json) io.stdout(JSON.stringify(report.systems, null, 2) + "\n");
    else if (standard) io.stdout(report.systems.length ? renderExplainStandard(report.systems, standard) : "no AI system manifest found\n");
    else io.stdout(report.systems.map(renderExplain).join("\n") || "no AI system manifest found\n");
    io.setExit(EXIT.passed);
  });
  addBomCommand(program, io);
  addPacksCommand(program, io);
  addOrgCommands(program, io);
  return program;
}

/** `explain --rule <id>`: a built-in rule, a diagnostic, or an Exchange control or threat; else a usage error with "did you mean". */
async function refsSubject(id: string): Promise<RefsSubject> {
  const t = loadTaxonomy();
  const rules = (await loadPacks(t, [])).rules;
  const rule = rules.find((r) => r.id === id);
  if (rule) return { kind: "rule", id, title: rule.title, control: rule.control, threats: rule.threats };
  const d = diagnosticCatalogue().get(id);
  if (d) return { kind: "diagnostic", id, title: d.title, control: d.control, threats: d.threats };
  const c = t.controls.find((x) => x.id === id.toUpperCase());
  if (c) return { kind: "control", id: c.id, title: c.title, control: c.id, threats: [] };
  const th = t.threats.find((x) => x.id === id.toUpperCase());
  if (th) return { kind: "threat", id: th.id, title: th.title, control: null, threats: [th.id] };
  const known = [...rules.map((r) => r.id), ...diagnosticCatalogue().keys(), ...t.controls.map((x) => x.id), ...t.threats.map((x) => x.id)];
  throw new ConfigError(`--rule: no built-in rule, diagnostic, control or threat "${id}"${didYouMean(id, known)}`);
}

/** `--standard <id>`: a standard of the crosswalk, or a usage error with "did you mean". */
function standardOption(written: string): string {
  const r = resolveSelector(written);
  if ("error" in r) throw new ConfigError(`--standard: ${r.error}`);
  return r.standard;
}

/** `--base REF`: the commit whose configuration is trusted, and the change since the merge base. */
async function localBase(root: string, ref: string, untracked?: Promise<UntrackedListing | null>) {
  const repo = await findRepository(root);
  if (!repo) throw new ConfigError(`--base ${ref}: ${root} is not inside a git work tree`);
  const commit = await resolveCommit(repo, ref).catch((e: Error) => {
    throw new ConfigError(`--base ${ref}: ${e.message}`);
  });
  const diff = await diffFromGit(root, commit, { untracked }).catch((e: Error) => {
    throw new ConfigError(e.message);
  });
  return { base: gitBaseReader(repo, commit), diff };
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.passed;
  const io = { stdout: (s: string) => void process.stdout.write(s), stderr: (s: string) => void process.stderr.write(s), setExit: (c: number) => (code = c) };
  try {
    const program = buildProgram(io);
    if (argv.length === 0) {
      // No command is a usage error, as for git or eslint: help on standard error, exit 2.
      io.stderr(program.helpInformation());
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (e) {
    const err = e as { code?: string; exitCode?: number };
    if (typeof err.code === "string" && err.code.startsWith("commander.")) {
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help" ? EXIT.passed : EXIT.usage;
    }
    if (e instanceof PackError)
      io.stderr(
        `aigate: invalid policy pack:\n${e.message
          .split("\n")
          .map((l) => termText(l))
          .join("\n")}\n`,
      );
    else if (e instanceof ConfigFileError)
      io.stderr(
        `aigate: invalid configuration file:\n${e.message
          .split("\n")
          .map((l) => termText(l))
          .join("\n")}\n`,
      );
    else if (e instanceof ConfigError || e instanceof UnsafePathError) io.stderr(`aigate: ${termText(e.message)}\n`);
    else if (argv.includes("--debug") || process.env.AIGATE_DEBUG) io.stderr(`aigate: internal error: ${(e as Error).stack ?? String(e)}\n`);
    else
      io.stderr(`aigate: internal error: ${String((e as Error)?.message ?? e).split("\n")[0]} (run with AIGATE_DEBUG=1 for the trace, and please report it)\n`);
    return EXIT.usage;
  }
}

/**
 * A reader that stops early (`aigate check | head`) closes the pipe: the rest of the report has
 * nowhere to go, which is not a failure of the check. Without a handler, Node throws the EPIPE as an
 * unhandled 'error' event with its stack trace. The verdict's exit code stands; any other write
 * error is one line and exit 2.
 */
let outputFailed = false;
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") return;
      outputFailed = true;
      process.exitCode = EXIT.usage;
      if (stream !== process.stderr) process.stderr.write(`aigate: cannot write the output: ${String(e.message).split("\n")[0]}\n`);
    });
}

// Run when executed directly (the bundle in dist/cli.js, or `tsx src/cli.ts`).
const invoked = process.argv[1] ? resolve(process.argv[1]) : "";
if (/(?:dist[\\/]cli\.js|src[\\/]cli\.ts|bin[\\/]aigate(?:\.js)?)$/.test(invoked)) {
  quietOnClosedPipe();
  // exitCode, not exit(): a report piped to a slow reader must be written in full first.
  void main(process.argv.slice(2)).then((c) => {
    process.exitCode = outputFailed ? EXIT.usage : c;
  });
}
