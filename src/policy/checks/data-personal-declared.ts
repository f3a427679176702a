// `data-personal-declared`: personal data found in a dataset whose manifest entry says it holds
// none (`personalData: none`, or another declared value listed in `declared`).
import type { CheckKind, CheckResult } from "../types.js";
import { declaredDatasets, manifestPlace, personalDataByDataset } from "./data-datasets.js";
import { fill } from "./template.js";

export const dataPersonalDeclaredCheck: CheckKind = {
  meta: {
    kind: "data-personal-declared",
    description: "Personal data the data scanner found in files of a dataset declared with `personalData` in `declared` (default: none).",
    paramsSchema: {
      type: "object",
      properties: {
        declared: { type: "array", items: { type: "string" }, minItems: 1, description: "Declared personalData values that found personal data contradicts." },
      },
      additionalProperties: false,
    },
    placeholders: ["dataset", "declared", "declaredAt", "path", "label", "place", "count", "sampledRows", "message"],
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const declared = new Set((params["declared"] as string[] | undefined) ?? ["none"]);
    const datasets = declaredDatasets(ctx);
    const byDataset = personalDataByDataset(ctx, datasets);
    const results: CheckResult[] = [];
    for (const d of datasets) {
      if (!declared.has(d.entry.personalData)) continue;
      for (const o of byDataset.get(d.index) ?? []) {
        if (o.data?.["valuesSampled"] === false) continue; // a column name alone does not contradict
        const place = manifestPlace(ctx, `/datasets/${d.index}/personalData`);
        results.push({
          location: o.location,
          key: `personal-declared:${o.key}`,
          message: fill(ctx.rule.message, {
            dataset: d.entry.name,
            declared: d.entry.personalData,
            declaredAt: place,
            path: o.location.path,
            label: o.data?.["label"],
            place: o.data?.["place"],
            count: o.data?.["count"],
            sampledRows: o.data?.["sampledRows"],
            message: `${o.message}, but dataset "${d.entry.name}" declares personalData: ${d.entry.personalData} (${place})`,
          }),
        });
      }
    }
    return results;
  },
};
