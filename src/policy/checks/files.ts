// `files`: globs that must match at least one file, globs no file may match, and size limits.
import type { CheckKind, CheckResult } from "../types.js";
import { relativePaths } from "../../inventory/file-index.js";
import { anyGlobTest, anyPathMatches, globParamProblem, matchingPaths, pathIndex } from "../../util/glob.js";
import { fill } from "./template.js";

export const filesCheck: CheckKind = {
  meta: {
    kind: "files",
    description: "Files that must exist (any of `require`), must not exist (`forbid`), or must stay under `maxBytes` (files matching `sizeGlobs`).",
    paramsSchema: {
      type: "object",
      properties: {
        require: { type: "array", items: { type: "string" }, minItems: 1, description: "At least one file must match one of these globs." },
        forbid: { type: "array", items: { type: "string" }, minItems: 1, description: "Every file matching one of these globs is a finding." },
        maxBytes: { type: "integer", minimum: 0, description: "Files matching sizeGlobs (or every file) must not be larger." },
        sizeGlobs: { type: "array", items: { type: "string" }, description: "Globs of the files maxBytes limits (default: every file)." },
        except: { type: "array", items: { type: "string" }, description: "Files matching these globs are left out of forbid and maxBytes." },
        scope: {
          enum: ["system", "repository"],
          description:
            "Look in the system's governed files (default; a required glob with a leading / is anchored at the repository's top level) or anywhere in the repository (required files only).",
        },
      },
      additionalProperties: false,
      anyOf: [{ required: ["require"] }, { required: ["forbid"] }, { required: ["maxBytes"] }],
    },
    placeholders: ["globs", "path", "size", "limit"],
  },
  validate(params) {
    return globParamProblem(params, ["require", "forbid", "sizeGlobs", "except"]);
  },
  run(params, ctx) {
    const results: CheckResult[] = [];
    const governed = ctx.governedFiles;
    // The governed files as the globs see them (relative to the system's folder), index for index.
    const rel = relativePaths(governed, ctx.system.folder);
    const except = anyGlobTest((params.except as string[] | undefined) ?? []);
    const require = params.require as string[] | undefined;
    if (require && !ctx.system.synthetic) {
      // A glob with a leading "/" is anchored at the repository's top level; `scope: repository`
      // anchors every glob there ("anywhere in the repository", whichever folder is checked).
      const anchored =
        params.scope === "repository"
          ? require.map((g) => (g.startsWith("/") ? g : g.includes("/") ? `/${g}` : `/**/${g}`))
          : require.filter((g) => g.startsWith("/"));
      const local = params.scope === "repository" ? [] : require.filter((g) => !g.startsWith("/"));
      const found = anyPathMatches(pathIndex(rel), local) || anchored.some((g) => ctx.exists(ctx.resolve(g)));
      if (!found) {
        results.push({ location: ctx.system.locate(""), key: `require:${require.join(",")}`, message: fill(ctx.rule.message, { globs: require.join(", ") }) });
      }
    }
    const forbid = params.forbid as string[] | undefined;
    if (forbid) {
      for (const i of matchingPaths(pathIndex(rel), forbid)) {
        const p = governed[i]!;
        if (!except(rel[i]!)) results.push({ location: { path: p, line: 1, column: 1 }, key: `forbid:${p}`, message: fill(ctx.rule.message, { path: p }) });
      }
    }
    const maxBytes = params.maxBytes as number | undefined;
    if (maxBytes !== undefined) {
      // The size first: few files are over the limit, and it is one lookup.
      const limited = anyGlobTest((params.sizeGlobs as string[] | undefined) ?? ["**"]);
      governed.forEach((p, i) => {
        const size = ctx.fileSize(p) ?? 0;
        if (size > maxBytes && limited(rel[i]!) && !except(rel[i]!)) {
          results.push({
            location: { path: p, line: 1, column: 1 },
            key: `size:${p}`,
            message: fill(ctx.rule.message, { path: p, size: formatBytes(size), limit: formatBytes(maxBytes) }),
          });
        }
      });
    }
    return results;
  },
};

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
