// The `aigate bom` subcommand, registered by cli.ts next to the other commands.
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { collect, isoDate } from "../cli-options.js";
import { addConfigOptions, configuredRun } from "../config/cli.js";
import { ConfigError } from "../errors.js";
import { DEFAULT_MANIFEST_GLOB } from "../run.js";
import { termText } from "../util/escape.js";
import type { BomFormat } from "./index.js";

// The BOM libraries are loaded when `bom` runs, not when the CLI starts (they cost ~90 ms of start-up).
const BOM_FORMATS = ["cyclonedx", "spdx"] as const satisfies readonly BomFormat[];

/** `io.cwd`: the folder relative paths are read from (default: the process's working folder). */
export function addBomCommand(
  program: Command,
  io: { stdout: (s: string) => void; stderr: (s: string) => void; setExit: (code: number) => void; cwd?: string },
): void {
  const cwd = io.cwd ?? process.cwd();
  const bom = program
    .command("bom")
    .description(
      "write an AI bill of materials per system: CycloneDX 1.7 JSON (models with model cards, datasets, hosted models, tools and MCP servers as services, AI/ML libraries, the Exchange threats and control statuses) or SPDX 3.0.1 JSON-LD with the AI and Dataset profiles",
    )
    .argument("[dir]", "repository folder", ".")
    .option("-m, --manifest <glob>", "glob that finds the manifests", DEFAULT_MANIFEST_GLOB)
    .option("-p, --policy <file>", "an organisation policy pack, loaded after the built-in pack (repeat for several)", collect, [] as string[])
    .addOption(new Option("-f, --format <format>", "BOM format").choices([...BOM_FORMATS]).default("cyclonedx"))
    .option(
      "-o, --output <file-or-dir>",
      "a file (one system) or a folder (one <system>.cdx.json or <system>.spdx.json per system); default: standard output for one system",
    )
    .option("--today <date>", "the BOM's date (YYYY-MM-DD, default: today in UTC); the same repository and date give the same bytes", isoDate);
  addConfigOptions(bom).action(async (dir: string, o: { manifest: string; policy?: string[]; format: BomFormat; output?: string; today?: string }) => {
    const root = resolve(cwd, dir);
    const { buildBoms, writeBoms } = await import("./index.js");
    // The same configuration as check (aigate.yml: manifests, packs, ignore), and every model's digest.
    const report = await configuredRun(bom, {
      root,
      cwd,
      today: o.today,
      base: null,
      diff: null,
      failOn: "never",
      log: (l) => io.stderr(`aigate: ${termText(l)}\n`),
      extra: { hashModels: true },
    });
    const { files } = await buildBoms({ root, format: o.format, today: o.today, manifestGlob: o.manifest, policyFiles: o.policy, cwd, report });
    if (files.length === 0) throw new ConfigError(`no valid AI system manifest in ${dir}: nothing to describe (run \`aigate check\` to see why)`);
    if (!o.output) {
      if (files.length > 1) throw new ConfigError(`${files.length} systems: give --output <folder>/ for one BOM per system`);
      io.stdout(files[0]!.content);
    } else {
      const paths = await writeBoms(files, o.output, { cwd });
      io.stderr(
        `aigate: ${files.length} ${o.format === "cyclonedx" ? "CycloneDX" : "SPDX"} BOM${files.length === 1 ? "" : "s"} written: ${paths.map((p) => termText(p)).join(", ")}\n`,
      );
    }
    io.setExit(0);
  });
}
