// `data-profile-contradiction`: the profile says `trainingDataSensitive: false` while a training
// or fine-tuning dataset holds personal data. The profile decides which threats apply, so the
// report names the threats that the stated value switches off.
import type { CheckKind, CheckResult } from "../types.js";
import { declaredDatasets, personalDataByDataset, summariseKinds } from "./data-datasets.js";
import { fill } from "./template.js";

const TRAINING_USES = new Set(["training", "fine-tuning"]);

export const dataProfileContradictionCheck: CheckKind = {
  meta: {
    kind: "data-profile-contradiction",
    description: "`profile.trainingDataSensitive: false` while personal data was found in a dataset used for training or fine-tuning.",
    paramsSchema: { type: "object", properties: {}, additionalProperties: false },
    placeholders: ["what", "consequence", "message"],
  },
  run(_params, ctx) {
    if (ctx.system.synthetic || ctx.system.manifest.profile["trainingDataSensitive"] !== false) return [];
    const datasets = declaredDatasets(ctx);
    const found = personalDataByDataset(ctx, datasets);
    const holding = datasets.filter(
      (d) => d.entry.use.some((u) => TRAINING_USES.has(u)) && (found.get(d.index) ?? []).some((o) => o.data?.["valuesSampled"] !== false),
    );
    if (holding.length === 0) return [];
    // Threats whose applicability rules read the fact: the ones the stated false keeps out.
    const gated = new Set<string>();
    for (const rule of ctx.taxonomy.applicability) {
      if (rule.effect === "include" && rule.when["trainingDataSensitive"] === true) for (const t of rule.threats) gated.add(t);
    }
    const notApplied = [...gated].filter((t) => !ctx.analysis.threats.find((a) => a.id === t)?.applies).sort();
    const what = holding.map((d) => `"${d.entry.name}" (${summariseKinds(found.get(d.index) ?? [])})`).join(", ");
    const consequence =
      notApplied.length > 0 ? `With it true these threats would apply: ${notApplied.join(", ")}.` : "The stated value changes which threats apply.";
    const result: CheckResult = {
      location: ctx.system.locate("/profile/trainingDataSensitive", "value"),
      key: "profile-contradiction:trainingDataSensitive",
      threats: notApplied.length > 0 ? notApplied : undefined,
      message: fill(ctx.rule.message, {
        what,
        consequence,
        message: `profile.trainingDataSensitive is false, but training data holds personal data: ${what}. ${consequence}`,
      }),
    };
    return [result];
  },
};
