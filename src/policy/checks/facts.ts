// `facts`: every core profile fact of the Exchange's risk analysis is stated. An unstated fact
// makes the analysis assume the worst; the finding names the threats it added.
import { joinPointer } from "../../util/pointer.js";
import type { CheckKind } from "../types.js";
import { fill } from "./template.js";

export const factsCheck: CheckKind = {
  meta: {
    kind: "facts",
    description: "Each core profile fact is stated in the manifest's `profile`.",
    paramsSchema: { type: "object", properties: {}, additionalProperties: false },
    placeholders: ["fact", "question", "assumed"],
  },
  run(_params, ctx) {
    if (ctx.system.synthetic) return [];
    return ctx.analysis.unstated.map((fact) => {
      const question = ctx.taxonomy.profileFacts.find((f) => f.id === fact)?.question ?? "";
      const added = ctx.analysis.threats.filter((t) => t.assumed && t.reasons.some((r) => r.assumed.includes(fact))).map((t) => t.id);
      return {
        location: ctx.system.locate("/profile", "key"),
        key: joinPointer("/profile", fact),
        message: fill(ctx.rule.message, { fact, question, assumed: added.length ? added.join(", ") : "none" }),
      };
    });
  },
};
