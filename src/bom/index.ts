// `aigate bom`: one AI bill of materials per system, CycloneDX 1.7 JSON or SPDX 3.0.1 JSON-LD,
// written to standard output (one system), a file (one system) or a folder (one file per system).
import { stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import type { Report } from "../report/types.js";
import type { RunOptions } from "../run.js";
import { writeOutputFile } from "../util/safe-fs.js";
import { collectSystems } from "./collect.js";
import { cyclonedxBom } from "./cyclonedx.js";
import { spdxBom } from "./spdx.js";

export const BOM_FORMATS = ["cyclonedx", "spdx"] as const;
export type BomFormat = (typeof BOM_FORMATS)[number];

export interface BomFile {
  system: string;
  /** File name for the system's BOM: `<system>.cdx.json` or `<system>.spdx.json`. */
  fileName: string;
  content: string;
}

export const bomExtension = (format: BomFormat) => (format === "cyclonedx" ? ".cdx.json" : ".spdx.json");
/** A system name as a file name: letters, digits, `.`, `_` and `-` only. */
export const safeFileName = (name: string) =>
  name
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^\.+/, "_")
    .slice(0, 100) || "system";

export async function buildBoms(
  opts: Pick<RunOptions, "root" | "today" | "manifestGlob" | "policyFiles" | "cwd"> & { format: BomFormat; report?: Report },
): Promise<{ files: BomFile[]; report: Report }> {
  const { report, systems } = await collectSystems(opts, opts.report);
  const files = systems.map((s) => ({
    system: s.name,
    fileName: `${safeFileName(s.name)}${bomExtension(opts.format)}`,
    content: opts.format === "cyclonedx" ? cyclonedxBom(s) : spdxBom(s),
  }));
  return { files, report };
}

/**
 * Writes the BOMs: to `output` when it names a file and there is one system, else into the folder
 * `output` (created when missing). Returns the absolute paths written. `within` keeps the files
 * inside the workspace (the Action).
 */
export async function writeBoms(files: BomFile[], output: string, opts: { cwd: string; within?: string }): Promise<string[]> {
  const target = resolve(opts.cwd, output);
  const isDir = output.endsWith("/") || output.endsWith("\\") || (await stat(target).catch(() => undefined))?.isDirectory() === true;
  if (!isDir && files.length > 1)
    throw new ConfigError(`${output} names one file, but there are ${files.length} systems: give a folder (ending in /) for one BOM per system`);
  const paths: string[] = [];
  for (const f of files) {
    const path = isDir ? join(target, f.fileName) : target;
    await writeOutputFile(path, f.content, opts.within ? { within: opts.within } : {});
    paths.push(path);
  }
  return paths;
}

/**
 * Where the Action writes the BOMs of `bom-file`: the file itself for one system; for several, one
 * file per system beside it, `<stem>.<system>.cdx.json` (stem: the name without `.cdx.json`/`.json`).
 */
export function actionBomPaths(files: BomFile[], bomFile: string): string[] {
  if (files.length === 1) return [bomFile];
  const stem = basename(bomFile).replace(/(?:\.cdx)?\.json$/i, "");
  return files.map((f) => join(dirname(bomFile), `${stem}.${f.fileName}`));
}
