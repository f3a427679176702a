// `acceptances`: risk acceptances are time-bound. An expired one no longer accepts anything and is
// a finding itself; a pack may also cap how long an acceptance may run.
import type { CheckKind, CheckResult } from "../types.js";
import { fill } from "./template.js";

const DAY = 86_400_000;

export const acceptancesCheck: CheckKind = {
  meta: {
    kind: "acceptances",
    description: "Risk acceptances have not expired (`assert: not-expired`) and run no longer than `maxDays` from approval (`assert: max-duration`).",
    paramsSchema: {
      type: "object",
      required: ["assert"],
      properties: {
        assert: { enum: ["not-expired", "max-duration"] },
        maxDays: { type: "integer", minimum: 1, description: "The longest an acceptance may run, in days from its approval (max-duration)." },
      },
      additionalProperties: false,
      allOf: [{ if: { properties: { assert: { const: "max-duration" } }, required: ["assert"] }, then: { required: ["maxDays"] } }],
    },
    placeholders: ["id", "target", "expires", "approver", "days", "maxDays"],
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const results: CheckResult[] = [];
    (ctx.system.manifest.riskAcceptances ?? []).forEach((ra, i) => {
      const target = ra.rule ?? ra.control ?? ra.threat ?? (ra.fingerprints?.length ? `findings ${ra.fingerprints.join(", ")}` : "");
      const label = ra.id ?? `riskAcceptances[${i}]`;
      if (params.assert === "not-expired" && ra.expires < ctx.today) {
        results.push({
          location: ctx.system.locate(`/riskAcceptances/${i}/expires`),
          key: `expired:${ra.id ?? target}:${ra.expires}`,
          message: fill(ctx.rule.message, { id: label, target, expires: ra.expires, approver: ra.approver }),
        });
      }
      if (params.assert === "max-duration" && params.maxDays) {
        const from = ra.approved ?? ctx.today;
        const days = Math.round((Date.parse(ra.expires) - Date.parse(from)) / DAY);
        if (days > (params.maxDays as number)) {
          results.push({
            location: ctx.system.locate(`/riskAcceptances/${i}/expires`),
            key: `too-long:${ra.id ?? target}`,
            message: fill(ctx.rule.message, { id: label, target, days, maxDays: params.maxDays }),
          });
        }
        if (ra.approved && ra.approved > ra.expires) {
          results.push({
            location: ctx.system.locate(`/riskAcceptances/${i}/approved`),
            key: `inverted:${ra.id ?? target}`,
            message: `${label}: approved ${ra.approved} is after it expires (${ra.expires})`,
          });
        }
      }
    });
    return results;
  },
};
