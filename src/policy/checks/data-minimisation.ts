// `data-minimisation`: a dataset in which the scanner found personal data while the manifest claims no minimisation or obfuscation control and the
// dataset records no anonymisation: nothing says the data was reduced before use.
import type { CheckKind, CheckResult } from "../types.js";
import { declaredDatasets, personalDataByDataset, summariseKinds } from "./data-datasets.js";
import { fill } from "./template.js";

const CLAIMED = new Set(["implemented", "partial"]);

export const dataMinimisationCheck: CheckKind = {
  meta: {
    kind: "data-minimisation",
    description:
      "Datasets in which personal data was found when none of `controls` (default DATAMINIMIZE, OBFUSCATETRAININGDATA) is claimed implemented or partial and the dataset has no `anonymization`.",
    paramsSchema: {
      type: "object",
      properties: {
        controls: {
          type: "array",
          items: { type: "string" },
          minItems: 1,
          description: "Controls whose claim (implemented or partial) counts as minimisation.",
        },
      },
      additionalProperties: false,
    },
    placeholders: ["dataset", "why", "controls", "message"],
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const controls = (params["controls"] as string[] | undefined) ?? ["DATAMINIMIZE", "OBFUSCATETRAININGDATA"];
    const claims = ctx.system.manifest.controls ?? {};
    if (controls.some((c) => claims[c] && CLAIMED.has(claims[c].status))) return [];
    const datasets = declaredDatasets(ctx);
    const found = personalDataByDataset(ctx, datasets);
    const results: CheckResult[] = [];
    for (const d of datasets) {
      if (d.entry.anonymization) continue;
      const obs = (found.get(d.index) ?? []).filter((o) => o.data?.["valuesSampled"] !== false);
      // Declared identifiable training data is the manifest rule identifiable-training-data-not-obfuscated's;
      // this one fires on what the scanner found.
      if (obs.length === 0) continue;
      const why = `personal data was found in it (${summariseKinds(obs)})`;
      results.push({
        location: ctx.system.locate(`/datasets/${d.index}`, "key"),
        key: `minimisation:${d.entry.name}`,
        message: fill(ctx.rule.message, {
          dataset: d.entry.name,
          why,
          controls: controls.join(" or "),
          message: `dataset "${d.entry.name}": ${why}, but no ${controls.join(" or ")} control is claimed and no anonymization is recorded`,
        }),
      });
    }
    return results;
  },
};
