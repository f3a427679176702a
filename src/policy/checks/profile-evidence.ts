// `profile-evidence`: profile facts the code is evidence of (`evidence.<fact>` observations) against
// the manifest's `profile`. `mode: contradicted` reports a stated fact the evidence contradicts, at
// the fact's line; `mode: unstated` reports an unstated fact the evidence settles, with its value.
import type { CheckKind, CheckResult } from "../types.js";
import { fill } from "./template.js";

export const profileEvidenceCheck: CheckKind = {
  meta: {
    kind: "profile-evidence",
    description: "Profile facts inferred from the code agree with the manifest's profile (contradicted), or are stated (unstated).",
    paramsSchema: {
      type: "object",
      required: ["mode"],
      properties: {
        mode: { enum: ["contradicted", "unstated"] },
        scanners: { type: "array", items: { type: "string" }, description: "Scanners whose evidence counts (default: code)." },
      },
      additionalProperties: false,
    },
    placeholders: ["fact", "stated", "inferred", "evidence", "message"],
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const scanners = new Set((params.scanners as string[] | undefined) ?? ["code"]);
    const governed = ctx.governed;
    const profile = ctx.system.manifest.profile ?? {};
    const first = new Map<string, { value: boolean; evidence: string; count: number }>();
    for (const o of ctx.inventory.observations) {
      if (!o.kind.startsWith("evidence.") || !scanners.has(o.scanner) || !governed.has(o.location.path)) continue;
      const fact = String(o.data?.fact ?? o.kind.slice("evidence.".length));
      const value = o.data?.value !== false;
      const prev = first.get(fact);
      if (prev) prev.count++;
      else first.set(fact, { value, evidence: String(o.data?.evidence ?? `${o.location.path}:${o.location.line}`), count: 1 });
    }
    const out: CheckResult[] = [];
    for (const [fact, ev] of first) {
      const stated = profile[fact];
      const more = ev.count > 1 ? ` (and ${ev.count - 1} more file${ev.count > 2 ? "s" : ""})` : "";
      if (params.mode === "contradicted" && stated !== undefined && stated !== ev.value) {
        out.push({
          location: ctx.system.locate(`/profile/${fact}`),
          key: `profile-evidence:${fact}`,
          message: fill(ctx.rule.message, {
            fact,
            stated: String(stated),
            inferred: String(ev.value),
            evidence: ev.evidence + more,
            message: `profile.${fact} is ${stated}, but ${ev.evidence}${more}`,
          }),
        });
      } else if (params.mode === "unstated" && stated === undefined) {
        out.push({
          location: ctx.system.locate("/profile", "key"),
          key: `profile-inferred:${fact}`,
          message: fill(ctx.rule.message, {
            fact,
            inferred: String(ev.value),
            evidence: ev.evidence + more,
            message: `profile.${fact} is not stated; the code says ${ev.value}: ${ev.evidence}${more}`,
          }),
        });
      }
    }
    return out;
  },
};
