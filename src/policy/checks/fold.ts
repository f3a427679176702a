// `fold`: a summary of other rules' findings for one system, reported once. The rules it folds are
// named by id or by check kind (every `control` rule: "control X applies but the manifest does not
// claim it"); two or more of their findings are replaced by one result that lists them, at the
// first one's place, with the worst severity among them capped by the folding rule's own. A
// finding stays on its own when it is more severe than the folding rule (a pack that raised one
// control to error wants it to fail by itself), or when a current risk acceptance of the manifest
// names it (its rule, control, fingerprint or every threat it guards against), so that acceptances
// keep their meaning. With `dropWhenControlReported`, a folded finding whose control already has a
// finding of another rule is dropped: the specific finding says more than "the control is not
// claimed".
import { threatWithDescendants } from "../../exchange/taxonomy.js";
import type { Finding, Severity } from "../../findings/types.js";
import type { CheckKind, CheckResult, Rule } from "../types.js";
import { fill } from "./template.js";

const RANK: Record<Severity, number> = { note: 0, warning: 1, error: 2 };
/** Items listed in the message; the rest are counted. */
const MAX_LISTED = 60;

export const foldCheck: CheckKind = {
  meta: {
    kind: "fold",
    description:
      "A summary: the system's findings of the rules named in `rules` (or of every rule of a kind in `checkKinds`) become one result listing them, at most as severe as this rule; with `dropWhenControlReported`, one whose control has a finding of another rule is left out.",
    paramsSchema: {
      type: "object",
      properties: {
        rules: { type: "array", items: { type: "string", minLength: 1 }, description: "Ids of the rules whose findings are folded." },
        checkKinds: { type: "array", items: { type: "string", minLength: 1 }, description: "Check kinds whose rules' findings are folded." },
        item: {
          enum: ["control", "message"],
          description: "What each folded finding is listed as: its control id with its rule's title, or its message (default).",
        },
        dropWhenControlReported: { type: "boolean", description: "Leave out a folded finding whose control has a finding of a rule that is not folded." },
      },
      anyOf: [{ required: ["rules"] }, { required: ["checkKinds"] }],
      additionalProperties: false,
    },
    placeholders: ["count", "items"],
    phase: "summary",
  },
  run(params, ctx) {
    const rules = ctx.rules ?? [];
    const byId = new Map(rules.map((r) => [r.id, r] as const));
    const named = new Set((params.rules as string[] | undefined) ?? []);
    const kinds = new Set((params.checkKinds as string[] | undefined) ?? []);
    const folds = (r: Rule | undefined) => !!r && r.id !== ctx.rule.id && (named.has(r.id) || kinds.has(r.check.kind));
    const mine = (ctx.findings ?? []).filter((f) => folds(byId.get(f.ruleId)));
    if (!mine.length) return [];
    const cap = RANK[ctx.rule.severity];
    // Current acceptances only: an expired one accepts nothing, so what it names is folded as usual.
    const acceptances = ctx.system.synthetic ? [] : (ctx.system.manifest.riskAcceptances ?? []).filter((ra) => !(String(ra.expires) < ctx.today));
    const namedByAcceptance = (f: Finding) =>
      acceptances.some((ra) => {
        if (ra.fingerprints?.some((fp) => fp.toLowerCase() === f.fingerprint)) return true;
        if (ra.rule === f.ruleId || ra.control === f.control) return true;
        if (!ra.rule && !ra.control && ra.threat && f.threats.length) {
          const family = threatWithDescendants(ctx.taxonomy, ra.threat);
          return f.threats.every((x) => family.includes(x));
        }
        return false;
      });
    const reportedControls = new Set((ctx.findings ?? []).filter((f) => !folds(byId.get(f.ruleId))).map((f) => f.control));
    const replaced: Finding[] = [];
    const listed: Finding[] = [];
    for (const f of mine) {
      if (RANK[f.severity] > cap || namedByAcceptance(f)) continue;
      replaced.push(f);
      if (params.dropWhenControlReported && reportedControls.has(f.control)) continue;
      listed.push(f);
    }
    // One finding on its own says more as itself (its rule's title and remedy) than as a list of one.
    if (!replaced.length || (replaced.length === 1 && listed.length === 1)) return [];
    const where = (f: Finding) => ({
      path: f.path,
      line: f.line,
      column: f.column,
      ...(f.endLine !== undefined && { endLine: f.endLine, endColumn: f.endColumn }),
    });
    const result: CheckResult = { location: where(replaced[0]!), key: `fold:${ctx.rule.id}`, replaces: replaced.map((f) => f.fingerprint) };
    // Every folded finding was said better by another rule: they go, and nothing of its own is reported.
    if (!listed.length) return [{ ...result, onlyReplaces: true }];
    // Worst first, then in the order the rules ran.
    const ordered = [...listed].sort((a, b) => RANK[b.severity] - RANK[a.severity]);
    const worst = ordered[0]!.severity;
    const label = (f: Finding) =>
      params.item === "control"
        ? `${f.control} (${byId.get(f.ruleId)?.title.replace(/ is accounted for$/i, "") ?? f.ruleId}${f.severity !== worst ? `, ${f.severity}` : ""})`
        : f.message;
    const shown = ordered.slice(0, MAX_LISTED).map(label);
    const items = `${shown.join(params.item === "control" ? ", " : "; ")}${ordered.length > MAX_LISTED ? `, and ${ordered.length - MAX_LISTED} more` : ""}`;
    return [
      {
        ...result,
        location: where(ordered[0]!),
        severity: RANK[worst] < cap ? worst : ctx.rule.severity,
        threats: [...new Set(listed.flatMap((f) => f.threats))],
        message: fill(ctx.rule.message, { count: String(listed.length), items }),
      },
    ];
  },
};
