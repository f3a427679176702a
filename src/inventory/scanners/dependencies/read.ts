// Reading the dependency lists: every list once, each within its size cap, following includes
// (`-r other.txt`, `-c constraints.txt`) to a bounded depth. What cannot be read is unscanned or a
// `dependency.malformed` observation at the place that says so.
import type { Observation, RepoFile, ScanContext, ScanResult } from "../../types.js";
import { redactText } from "../../../util/redact.js";
import { formatFor, includedFormat, type Format } from "./formats.js";
import type { ParsedFile } from "./model.js";

export const SCANNER = "dependencies";
/** Manifests larger than this are not dependency lists anyone writes by hand. */
const MAX_MANIFEST_BYTES = 2 * 1024 * 1024;
const MAX_LOCK_BYTES = 32 * 1024 * 1024;
const MAX_INCLUDE_DEPTH = 8;

export type ParsedLists = Map<string, { format: Format; file: ParsedFile }>;

/** Every dependency list of the repository (and every file they include), parsed, by path. */
export async function readDependencyLists(ctx: ScanContext, result: ScanResult): Promise<ParsedLists> {
  // Made on the first include (-r, -c): most repositories have none, and a map of every file costs.
  let known: Map<string, RepoFile> | undefined;
  const parsed: ParsedLists = new Map();

  const read = async (file: RepoFile, format: Format): Promise<string | undefined> => {
    const cap = format.lock ? MAX_LOCK_BYTES : MAX_MANIFEST_BYTES;
    if (file.size > cap) {
      result.unscanned.push({ path: file.path, scanner: SCANNER, reason: `dependency file is ${file.size} bytes, over the ${cap}-byte limit` });
      return undefined;
    }
    const buf = await ctx.readRange(file.path, 0, file.size);
    if (buf.includes(0)) {
      result.unscanned.push({ path: file.path, scanner: SCANNER, reason: "binary content (NUL bytes) in a dependency file" });
      malformed(result.observations, file.path, 1, 1, "binary content (NUL bytes) where a text dependency list was expected", true);
      return undefined;
    }
    return buf.toString("utf8").replace(/^\uFEFF/, "");
  };

  const visit = async (file: RepoFile, format: Format, depth: number): Promise<void> => {
    if (parsed.has(file.path)) return;
    const text = await read(file, format);
    if (text === undefined) return;
    let out: ParsedFile;
    try {
      out = format.parse(file.path, text);
    } catch (e) {
      // A parser bug must not stop the run: the file is unscanned, with the reason.
      result.unscanned.push({
        path: file.path,
        scanner: SCANNER,
        reason: `could not parse: ${redactText(
          String((e as Error)?.message ?? e)
            .split("\n")[0]!
            .slice(0, 200),
        )}`,
      });
      return;
    }
    parsed.set(file.path, { format, file: out });
    for (const p of out.problems) {
      malformed(result.observations, p.location.path, p.location.line, p.location.column, p.message, p.fatal);
      if (p.fatal) result.unscanned.push({ path: file.path, scanner: SCANNER, reason: p.message });
    }
    for (const inc of out.includes) {
      const target = (known ??= new Map(ctx.files.map((f) => [f.path, f] as const))).get(inc.path);
      if (!target) {
        malformed(
          result.observations,
          inc.location.path,
          inc.location.line,
          inc.location.column,
          `included file "${inc.path}" is not in the repository`,
          false,
        );
      } else if (depth >= MAX_INCLUDE_DEPTH) {
        malformed(
          result.observations,
          inc.location.path,
          inc.location.line,
          inc.location.column,
          `includes nest deeper than ${MAX_INCLUDE_DEPTH} levels`,
          false,
        );
      } else {
        await visit(target, formatFor(target.path) ?? includedFormat(), depth + 1);
      }
    }
  };

  for (const file of ctx.files) {
    const format = formatFor(file.path);
    if (format) await visit(file, format, 0);
  }
  return parsed;
}

function malformed(out: Observation[], path: string, line: number, column: number, message: string, fatal: boolean): void {
  out.push({
    scanner: SCANNER,
    kind: "dependency.malformed",
    location: { path, line, column },
    message: `${path}: ${message}`,
    key: `${message}`.slice(0, 200),
    data: { fatal, problem: message },
  });
}
