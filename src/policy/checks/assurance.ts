// `assurance`: threats the supplier mitigates (the Exchange's "verify external responsibilities")
// need a manifest responsibility that covers them, with assurance documents that exist and have not expired.
import { threatById } from "../../exchange/taxonomy.js";
import type { CheckKind, CheckResult } from "../types.js";
import { fill } from "./template.js";

export const assuranceCheck: CheckKind = {
  meta: {
    kind: "assurance",
    description:
      "Every applicable threat whose responsibility is the supplier's (or shared) is covered by a responsibility entry with current, existing assurance evidence.",
    paramsSchema: { type: "object", properties: {}, additionalProperties: false },
    placeholders: ["threat", "title", "problem"],
  },
  run(_params, ctx) {
    if (ctx.system.synthetic) return [];
    const results: CheckResult[] = [];
    const resps = ctx.system.manifest.responsibilities ?? [];
    const external = ctx.analysis.threats.filter((x) => x.applies && x.responsibility !== "self" && !threatById(ctx.taxonomy, x.id)?.isGroup);
    for (const th of external) {
      const covering = resps
        .map((r, i) => ({ r, i }))
        .filter(({ r }) => r.threats?.includes(th.id) || (r.controls ?? []).some((c) => threatById(ctx.taxonomy, th.id)?.controls.includes(c)));
      if (!covering.length) {
        results.push({
          location: ctx.system.locate(resps.length ? "/responsibilities" : "/profile", "key"),
          key: `uncovered:${th.id}`,
          threats: [th.id],
          message: fill(ctx.rule.message, { threat: th.id, title: th.title, problem: "no responsibilities entry covers it" }),
        });
        continue;
      }
      for (const { r, i } of covering) {
        const base = `/responsibilities/${i}`;
        if (r.expires && r.expires < ctx.today) {
          results.push({
            location: ctx.system.locate(`${base}/expires`),
            key: `expired:${th.id}:${r.supplier}`,
            threats: [th.id],
            message: fill(ctx.rule.message, { threat: th.id, title: th.title, problem: `the assurance from ${r.supplier} expired on ${r.expires}` }),
          });
        }
        r.assurance.forEach((a, j) => {
          if (/^https?:\/\//.test(a)) return;
          const p = ctx.resolve(a);
          if (!ctx.exists(p) || ctx.isEmpty(p)) {
            results.push({
              location: ctx.system.locate(`${base}/assurance/${j}`),
              key: `missing:${th.id}:${a}`,
              threats: [th.id],
              message: fill(ctx.rule.message, {
                threat: th.id,
                title: th.title,
                problem: `assurance document ${a} ${ctx.exists(p) ? "is empty" : "does not exist"}`,
              }),
            });
          }
        });
      }
    }
    return results;
  },
};
