// `evidence`: what the manifest claims must be backed: evidence paths of implemented or partial
// controls must exist and not be empty, and planned controls must not be overdue.
import { joinPointer } from "../../util/pointer.js";
import { filesUnder } from "../../inventory/file-index.js";
import { anyGlobTest } from "../../util/glob.js";
import type { CheckContext, CheckKind, CheckResult } from "../types.js";
import { fill } from "./template.js";

/** Evidence is the files that show a control: a glob or folder matching more than this shows nothing in particular. */
const MAX_EVIDENCE_FILES = 25;
const STATE = {
  missing: "does not exist",
  empty: "is empty",
  broad: `matches more than ${MAX_EVIDENCE_FILES} files, too many to be evidence of one control (name the files that show it)`,
} as const;

/** How many files a cited path stands for: 1 for a file, the files below a folder or matching a glob. */
function breadth(path: string, ctx: CheckContext): number {
  const files = ctx.inventory.files;
  if (ctx.fileSize(path) !== undefined) return 1;
  if (path === "" || path === ".") return files.length;
  if (!/[*?[{]/.test(path)) return filesUnder(files, path).length;
  const cited = anyGlobTest([path]);
  let n = 0;
  for (const f of files) if (cited(f.path) && ++n > MAX_EVIDENCE_FILES) break;
  return n;
}

export const evidenceCheck: CheckKind = {
  meta: {
    kind: "evidence",
    description: "Claimed controls cite existing, non-empty evidence (`assert: exists`) or are not past their due date (`assert: not-overdue`).",
    paramsSchema: {
      type: "object",
      required: ["assert"],
      properties: { assert: { enum: ["exists", "not-overdue"] } },
      additionalProperties: false,
    },
    placeholders: ["control", "due", "path", "state"],
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const results: CheckResult[] = [];
    for (const [control, claim] of Object.entries(ctx.system.manifest.controls ?? {})) {
      const base = joinPointer("/controls", control);
      if (params.assert === "not-overdue") {
        if (claim.status === "planned" && claim.due && claim.due < ctx.today) {
          results.push({
            location: ctx.system.locate(`${base}/due`),
            key: `${base}:overdue`,
            control,
            message: fill(ctx.rule.message, { control, due: claim.due }),
          });
        }
        continue;
      }
      if (claim.status !== "implemented" && claim.status !== "partial") continue;
      (claim.evidence ?? []).forEach((e, i) => {
        if (/^https?:\/\//.test(e)) return; // a URL cannot be verified offline; the report lists it as cited
        const path = ctx.resolve(e);
        const state = ctx.exists(path) ? (ctx.isEmpty(path) ? "empty" : breadth(path, ctx) > MAX_EVIDENCE_FILES ? "broad" : "ok") : "missing";
        if (state === "ok") return;
        results.push({
          location: ctx.system.locate(`${base}/evidence/${i}`),
          key: `${base}:${e}`,
          control,
          message: fill(ctx.rule.message, { control, path: e, state: STATE[state] }),
        });
      });
    }
    return results;
  },
};
