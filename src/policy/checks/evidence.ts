// `evidence`: what the manifest claims must be backed: evidence paths of implemented or partial
// controls must exist and not be empty, and planned controls must not be overdue.
import { joinPointer } from "../../util/pointer.js";
import type { CheckKind, CheckResult } from "../types.js";
import { fill } from "./template.js";

export const evidenceCheck: CheckKind = {
  meta: {
    kind: "evidence",
    description: "Claimed controls cite existing, non-empty evidence (`assert: exists`) or are not past their due date (`assert: not-overdue`).",
    paramsSchema: {
      type: "object",
      required: ["assert"],
      properties: { assert: { enum: ["exists", "not-overdue"] } },
    },
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const results: CheckResult[] = [];
    for (const [control, claim] of Object.entries(ctx.system.manifest.controls ?? {})) {
      const base = joinPointer("/controls", control);
      if (params.assert === "not-overdue") {
        if (claim.status === "planned" && claim.due && claim.due < ctx.today) {
          results.push({ location: ctx.system.locate(`${base}/due`), key: `${base}:overdue`, control, message: fill(ctx.rule.message, { control, due: claim.due }) });
        }
        continue;
      }
      if (claim.status !== "implemented" && claim.status !== "partial") continue;
      (claim.evidence ?? []).forEach((e, i) => {
        if (/^https?:\/\//.test(e)) return; // a URL cannot be verified offline; the report lists it as cited
        const path = ctx.resolve(e);
        const state = ctx.exists(path) ? (ctx.isEmpty(path) ? "empty" : "ok") : "missing";
        if (state === "ok") return;
        results.push({
          location: ctx.system.locate(`${base}/evidence/${i}`),
          key: `${base}:${e}`,
          control,
          message: fill(ctx.rule.message, { control, path: e, state: state === "missing" ? "does not exist" : "is empty" }),
        });
      });
    }
    return results;
  },
};
