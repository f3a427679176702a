// `control`: a control that applies to the system must be accounted for: claimed in the manifest
// (any status, with its own rules checking the claim), or evidenced by files matching the rule's
// signal globs. Otherwise the gap is a finding.
import { relativePaths } from "../../inventory/file-index.js";
import { anyPathMatches, globParamProblem, pathIndex } from "../../util/glob.js";
import type { CheckKind } from "../types.js";
import { fill } from "./template.js";

export const controlCheck: CheckKind = {
  meta: {
    kind: "control",
    description: "The rule's control is claimed in the manifest's `controls`, or files matching `signals` show it in the repository.",
    paramsSchema: {
      type: "object",
      properties: {
        signals: { type: "array", items: { type: "string" }, description: "Globs whose match in the system's folder counts as evidence of the control." },
        scope: { enum: ["system", "repository"], description: "Where signals are looked for (default: the system's folder)." },
      },
      additionalProperties: false,
    },
    placeholders: ["control", "why"],
  },
  validate(params) {
    return globParamProblem(params, ["signals"]);
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const control = ctx.rule.control;
    if (ctx.system.manifest.controls?.[control]) return [];
    const assessment = ctx.analysis.controls.find((c) => c.id === control);
    // A control only supplier threats need is the supplier's: the assurance rule asks for evidence of it.
    if (assessment?.owner === "supplier") return [];
    const signals = (params.signals as string[] | undefined) ?? [];
    if (signals.length) {
      // `scope: repository`: anywhere in the repository, whichever folder is checked (globs anchored at its top level).
      if (params.scope === "repository") {
        if (signals.some((g) => ctx.exists(ctx.resolve(g.startsWith("/") ? g : g.includes("/") ? `/${g}` : `/**/${g}`)))) return [];
      } else if (anyPathMatches(pathIndex(relativePaths(ctx.governedFiles, ctx.system.folder)), signals)) return [];
    }
    const because = (assessment?.because ?? []).filter((x) => x !== "always");
    const why = assessment?.because.includes("always")
      ? "it applies to every AI system"
      : `threats: ${because.slice(0, 6).join(", ")}${because.length > 6 ? ", ..." : ""}`;
    const hasControls = ctx.system.manifest.controls !== undefined;
    // The finding guards against the applicable threats that need the control; an always-apply
    // control has no such list, so no threat acceptance can cover it.
    const threats = assessment?.because.includes("always") ? [] : because;
    return [
      {
        location: ctx.system.locate(hasControls ? "/controls" : "", "key"),
        key: `unclaimed:${control}`,
        threats,
        message: fill(ctx.rule.message, { control, why }),
      },
    ];
  },
};
