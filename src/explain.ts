// `aigate explain`: why each Exchange threat applies to a system or not, and which controls follow.
// Names and values from the manifest go through termText: no terminal escape or line break from
// content, and every line starts with aigate's own text.
import { refsOf } from "./crosswalk/index.js";
import { matrixText } from "./crosswalk/matrix.js";
import type { StandardRefs } from "./crosswalk/types.js";
import type { ControlStatus, SystemReport } from "./report/types.js";
import { termText as t } from "./util/escape.js";

/** Control statuses as words: only `verified` says a rule checked evidence. */
const STATUS_WORDS: Record<ControlStatus, string> = {
  verified: "verified",
  claimed: "claimed, not verified",
  "not-claimed": "not claimed",
  fail: "failing",
  accepted: "accepted (risk acceptance)",
  supplier: "supplier's",
  "not-applicable": "n/a",
};

/** `owasp-llm-2025 LLM01; eu-ai-act Art.15` (ids from the crosswalk, through termText). */
export function refsText(refs: StandardRefs): string {
  return Object.entries(refs).map(([k, items]) => `${t(k)} ${items.map((i) => t(i)).join(", ")}`).join("; ");
}

/** `explain --standard <id>`: each system's controls grouped by the standard's clauses, with their status. */
export function renderExplainStandard(systems: readonly SystemReport[], standard: string): string {
  return matrixText(systems, standard).join("\n");
}

export function renderExplain(s: SystemReport): string {
  const out: string[] = [`system ${t(s.name)} (${t(s.manifest)})`, ""];
  if (!s.evaluated) return out.concat("not evaluated: the manifest has errors (run `aigate check` to see them)").join("\n") + "\n";
  const fmt = (o: Record<string, boolean>) => Object.entries(o).map(([k, v]) => `${t(k)}=${v}`).join(", ") || "none";
  out.push(`facts stated:   ${fmt(s.facts.stated)}`);
  out.push(`facts implied:  ${fmt(s.facts.implied)}`);
  out.push(`facts default:  ${fmt(s.facts.defaulted)}`);
  out.push(`facts unstated: ${s.facts.unstated.map((x) => t(x)).join(", ") || "none"} (include rules that need them fire: assumed)`, "");
  out.push("threats:");
  for (const th of s.threats) {
    const head = th.applies ? `applies  ${t(String(th.responsibility))}${th.priority === "low" ? ", low priority" : ""}${th.assumed ? ", assumed" : ""}` : "ignored";
    out.push(`  ${t(th.id).padEnd(34)} ${head}`);
    for (const r of th.reasons) {
      const facts = Object.entries(r.facts).map(([k, v]) => `${t(k)}=${t(String(v))}`).join(" ");
      out.push(`      ${t(r.effect).padEnd(12)} ${t(r.rule)}${facts ? ` [${facts}]` : ""}${r.assumed.length ? ` (assumed: ${r.assumed.map((x) => t(x)).join(", ")} not stated)` : ""}${r.note ? ` (${t(r.note)})` : ""}`);
    }
    if (!th.reasons.length) out.push("      no rule includes it for this profile");
  }
  out.push("", "controls (verified: a rule found its evidence; claimed: the manifest says so, nothing checkable; not claimed: neither):");
  for (const c of s.controls) {
    const by = c.verifiedBy?.length ? ` (checked by ${c.verifiedBy.map((x) => t(x)).join(", ")})` : "";
    out.push(`  ${t(c.id).padEnd(34)} ${STATUS_WORDS[c.status]}${by}${c.claimed ? ` (manifest: ${t(c.claimed)})` : ""}${c.because.length ? ` <- ${c.because.map((x) => t(x)).join(", ")}` : ""}`);
    const refs = refsText(refsOf(c.id));
    if (refs) out.push(`      standards: ${refs}`);
  }
  return out.join("\n") + "\n";
}
