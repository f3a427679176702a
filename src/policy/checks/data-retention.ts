// `data-retention`: a dataset that holds personal data (found by the scanner, or declared) with no
// `retention`, with `retention: indefinite`, or whose retention has passed. "Passed" needs a start:
// the last date (YYYY-MM-DD or YYYY-MM) written in `provenance.collection`, plus the duration.
import type { CheckKind, CheckResult } from "../types.js";
import { DECLARED_PERSONAL, declaredDatasets, personalDataByDataset, summariseKinds } from "./data-datasets.js";
import { fill } from "./template.js";

/** Adds an ISO 8601 duration (P2Y, P18M, P90D, P1Y6M) to a date; null when it has a time part only. */
export function addDuration(date: Date, duration: string): Date | null {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?$/.exec(duration);
  if (!m) return null;
  const d = new Date(date.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + Number(m[1] ?? 0));
  d.setUTCMonth(d.getUTCMonth() + Number(m[2] ?? 0));
  d.setUTCDate(d.getUTCDate() + 7 * Number(m[3] ?? 0) + Number(m[4] ?? 0));
  return d;
}

/** The latest date written in a text (YYYY-MM-DD, or YYYY-MM taken as the month's end). */
export function latestDate(text: string): Date | null {
  let best: Date | null = null;
  for (const m of text.matchAll(/(?<![\w-])(\d{4})-(\d{2})(?:-(\d{2}))?(?![\w-])/g)) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : undefined];
    if (mo < 1 || mo > 12) continue;
    const date = d ? new Date(Date.UTC(y, mo - 1, d)) : new Date(Date.UTC(y, mo, 0));
    if (!best || date > best) best = date;
  }
  return best;
}

export const dataRetentionCheck: CheckKind = {
  meta: {
    kind: "data-retention",
    description:
      "Datasets holding personal data (found or declared) without a `retention`, with `indefinite` retention (unless allowed), or whose retention, counted from the last date in `provenance.collection`, has passed.",
    paramsSchema: {
      type: "object",
      properties: { allowIndefinite: { type: "boolean", description: "Accept `retention: indefinite` for personal data." } },
      additionalProperties: false,
    },
    placeholders: ["dataset", "problem", "why", "message"],
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const datasets = declaredDatasets(ctx);
    const found = personalDataByDataset(ctx, datasets);
    const today = new Date(`${ctx.today}T00:00:00Z`);
    const results: CheckResult[] = [];
    for (const d of datasets) {
      const obs = (found.get(d.index) ?? []).filter((o) => o.data?.["valuesSampled"] !== false);
      const declared = DECLARED_PERSONAL.has(d.entry.personalData);
      if (obs.length === 0 && !declared) continue;
      const why = obs.length > 0 ? `personal data was found in it (${summariseKinds(obs)})` : `it declares personalData: ${d.entry.personalData}`;
      const base = `/datasets/${d.index}`;
      const retention = d.entry.retention;
      let problem: { pointer: string; text: string; what: string; key: string } | null = null;
      // A dataset that declares personal data without a finite retention is the manifest rule
      // personal-data-retention-undeclared's; here only what the scanner found adds to it.
      const foundOnly = obs.length > 0 && !declared;
      if (!retention) {
        if (foundOnly) problem = { pointer: base, text: `dataset "${d.entry.name}" has no retention, and ${why}`, what: "has no retention", key: "missing" };
      } else if (retention === "indefinite") {
        if (foundOnly && params["allowIndefinite"] !== true)
          problem = {
            pointer: `${base}/retention`,
            text: `dataset "${d.entry.name}" keeps data indefinitely, and ${why}`,
            what: "keeps data indefinitely",
            key: "indefinite",
          };
      } else {
        const start = latestDate(d.entry.provenance?.collection ?? "");
        const end = start ? addDuration(start, retention) : null;
        if (end && end < today) {
          problem = {
            pointer: `${base}/retention`,
            text: `dataset "${d.entry.name}": retention ${retention} from ${start!.toISOString().slice(0, 10)} ended ${end.toISOString().slice(0, 10)}, and ${why}`,
            what: `keeps data past its retention (${retention} from ${start!.toISOString().slice(0, 10)}, which ended ${end.toISOString().slice(0, 10)})`,
            key: "passed",
          };
        }
      }
      if (!problem) continue;
      results.push({
        location: ctx.system.locate(problem.pointer, "key"),
        key: `retention-${problem.key}:${d.entry.name}`,
        message: fill(ctx.rule.message, { dataset: d.entry.name, problem: problem.what, why, message: problem.text }),
      });
    }
    return results;
  },
};
