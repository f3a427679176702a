// `data-dataset-unmatched`: a dataset's `paths` glob that matches nothing in the repository, so
// the manifest describes data that is not where it says (moved, renamed, or never committed). A
// glob aigate will not use (too long, too many brace expansions or wildcards) is reported here too:
// it matches nothing, so the dataset's files would otherwise count as undeclared with no reason given.
import { checkGlob, globOrBelowTest } from "../../util/glob.js";
import { pathsOf } from "../../inventory/file-index.js";
import type { CheckKind, CheckResult } from "../types.js";
import { declaredDatasets } from "./data-datasets.js";
import { fill } from "./template.js";

export const dataDatasetUnmatchedCheck: CheckKind = {
  meta: {
    kind: "data-dataset-unmatched",
    description: "Each `datasets[].paths` glob of the manifest that matches no file or folder in the repository.",
    paramsSchema: { type: "object", properties: {}, additionalProperties: false },
    placeholders: ["dataset", "glob", "problem", "message"],
  },
  run(_params, ctx) {
    if (ctx.system.synthetic) return [];
    const files = pathsOf(ctx.inventory.files);
    const results: CheckResult[] = [];
    for (const d of declaredDatasets(ctx)) {
      d.globs.forEach((glob, j) => {
        const pointer = `/datasets/${d.index}/paths/${j}`;
        const declared = d.entry.paths?.[j] ?? glob;
        const problem = checkGlob(glob);
        if (problem) {
          const shown = declared.length > 80 ? declared.slice(0, 77) + "..." : declared;
          results.push({
            location: ctx.system.locate(pointer, "value"),
            key: `${pointer}:${declared}`,
            message: fill(ctx.rule.message, {
              dataset: d.entry.name,
              glob: shown,
              problem: `which aigate does not match against files: ${problem}`,
              message: `dataset "${d.entry.name}" declares paths "${shown}", which aigate does not match against files: ${problem}`,
            }),
          });
          return;
        }
        if (ctx.exists(glob) || files.some(globOrBelowTest(glob))) return;
        results.push({
          location: ctx.system.locate(pointer, "value"),
          key: `${pointer}:${declared}`,
          message: fill(ctx.rule.message, {
            dataset: d.entry.name,
            glob: declared,
            problem: "which matches nothing in the repository",
            message: `dataset "${d.entry.name}" declares paths "${declared}", which matches nothing in the repository`,
          }),
        });
      });
    }
    return results;
  },
};
