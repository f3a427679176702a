// `aigate merge`: many repositories' JSON reports into one organisation posture. Each report is
// read (bounded), validated against schemas/report.schema.json (an invalid one is listed, never
// merged), digested to what the posture needs and dropped, so memory grows with the number of
// systems, not with the reports' size. Systems are deduplicated by repository and name (the newest
// report wins). Reports come from the repositories they describe: nothing in them is trusted.
import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { basename, join, relative, resolve, sep } from "node:path";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { ConfigError } from "../errors.js";
import type { Report } from "../report/types.js";
import { checkGlob, hasMagic, matchGlob } from "../util/glob.js";
import { packageRoot } from "../util/package-root.js";
import { readRegularFile } from "../util/safe-fs.js";
import { compileSchema } from "../util/schema-errors.js";
import { VERSION } from "../version.js";
import { buildPosture, digestReport, type Catalogue, type Posture, type SystemDigest } from "./posture.js";

/** Largest report read. */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;
/** Largest number of report files one merge reads. */
export const MAX_REPORT_FILES = 100_000;
const READ_AHEAD = 8;

let reportValidator: ValidateFunction | undefined;

export function reportSchemaValidator(): ValidateFunction {
  reportValidator ??= compileSchema(JSON.parse(readFileSync(join(packageRoot(), "schemas", "report.schema.json"), "utf8")) as Record<string, unknown>);
  return reportValidator;
}

/** The report files that arguments name: files, folders (every .json below), or globs (quoted, so the shell leaves them). */
export async function expandReportArgs(args: string[], cwd: string): Promise<string[]> {
  const out = new Set<string>();
  for (const a of args) {
    if (hasMagic(a)) {
      const problem = checkGlob(a);
      if (problem) throw new ConfigError(`the glob ${JSON.stringify(a)}: ${problem}`);
      const parts = a.split("/");
      const fixed: string[] = [];
      for (const p of parts) {
        if (hasMagic(p)) break;
        fixed.push(p);
      }
      const baseDir = resolve(cwd, fixed.join("/") || ".");
      const pattern = parts.slice(fixed.length).join("/");
      for (const f of await walkJson(baseDir, out.size)) {
        if (matchGlob(relative(baseDir, f).split(sep).join("/"), pattern)) out.add(f);
      }
      continue;
    }
    const abs = resolve(cwd, a);
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => null);
    if (entries) for (const f of await walkJson(abs, out.size)) out.add(f);
    else out.add(abs);
  }
  return [...out].sort();
}

/** Every *.json file below a folder (symbolic links are not followed). */
async function walkJson(dir: string, already: number): Promise<string[]> {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && e.name.endsWith(".json")) {
        out.push(p);
        if (out.length + already > MAX_REPORT_FILES) throw new ConfigError(`more than ${MAX_REPORT_FILES} report files: merge them in parts`);
      }
    }
  }
  return out;
}

export interface MergeOptions {
  cwd?: string;
  /** The date expiries are counted from (default: today, UTC). */
  today?: string;
  /** A previous posture.json to compare with. */
  previous?: string | null;
  /** Called for each report left out (invalid or unreadable). */
  warn?: (message: string) => void;
  now?: Date;
}

/** The repository a report is about when it does not say: its file name without `.json` (the org-scan workflow names them owner__repo.json). */
function repositoryFromFile(file: string): string {
  return basename(file)
    .replace(/\.json$/i, "")
    .replace(/__/, "/");
}

export async function mergeReports(files: string[], o: MergeOptions = {}): Promise<Posture> {
  const cwd = o.cwd ?? process.cwd();
  const validate = reportSchemaValidator();
  const cat: Catalogue = { controls: new Map(), threats: new Map(), rules: new Map() };
  const digests = new Map<string, SystemDigest>();
  const invalid: Posture["inputs"]["invalid"] = [];
  let reports = 0;
  let duplicates = 0;
  const shown = (f: string) => relative(cwd, f).split(sep).join("/") || f;
  const read = (f: string) => readRegularFile(f, MAX_REPORT_BYTES).catch((e: unknown) => e as Error);
  // Reads run ahead of parsing, a few at a time; each report is dropped once digested.
  const pending: Promise<Buffer | Error>[] = files.slice(0, READ_AHEAD).map(read);
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const data = await pending[i]!;
    if (i + READ_AHEAD < files.length) pending.push(read(files[i + READ_AHEAD]!));
    pending[i] = Promise.resolve(Buffer.alloc(0));
    const bad = (problem: string) => {
      invalid.push({ file: shown(file), problem });
      o.warn?.(`${shown(file)}: ${problem}; left out`);
    };
    if (data instanceof Error) {
      bad(`cannot be read (${data.message})`);
      continue;
    }
    let report: unknown;
    try {
      report = JSON.parse(data.toString("utf8"));
    } catch (e) {
      bad(`is not JSON (${(e as Error).message.slice(0, 120)})`);
      continue;
    }
    if (!validate(report)) {
      const errs = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
      bad(`is not an aigate report (schemas/report.schema.json: ${errs.join("; ")})`);
      continue;
    }
    reports++;
    for (const d of digestReport(report as Report, repositoryFromFile(file), cat)) {
      const key = `${d.repository} ${d.name}`;
      const prev = digests.get(key);
      if (prev) {
        duplicates++;
        if (prev.generatedAt >= d.generatedAt) continue;
      }
      digests.set(key, d);
    }
  }
  const now = o.now ?? new Date();
  let previous: Posture | null = null;
  if (o.previous) previous = await readPosture(resolve(cwd, o.previous));
  return buildPosture([...digests.values()], cat, {
    today: o.today ?? now.toISOString().slice(0, 10),
    generatedAt: now.toISOString(),
    version: VERSION,
    inputs: { files: files.length, reports, invalid, duplicates },
    previous,
  });
}

/** A posture.json written by an earlier merge. */
export async function readPosture(file: string): Promise<Posture> {
  let p: Posture;
  try {
    p = JSON.parse(await readFile(file, "utf8")) as Posture;
  } catch (e) {
    throw new ConfigError(`cannot read the previous posture ${file}: ${(e as Error).message}`);
  }
  if (p?.postureVersion !== "1" || !Array.isArray(p.systems) || !Array.isArray(p.controls) || !p.totals)
    throw new ConfigError(`${file} is not a posture.json written by aigate merge`);
  return p;
}
