// `aigate explain`: why each Exchange threat applies to a system or not, and which controls follow.
// Names and values from the manifest go through termText: no terminal escape or line break from
// content, and every line starts with aigate's own text.
import { provenanceOf, refsFor, refsOf, standardById } from "./crosswalk/index.js";
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
  return Object.entries(refs)
    .map(([k, items]) => `${t(k)} ${items.map((i) => t(i)).join(", ")}`)
    .join("; ");
}

/** `explain --standard <id>`: each system's controls grouped by the standard's clauses, with their status. */
export function renderExplainStandard(systems: readonly SystemReport[], standard: string): string {
  return matrixText(systems, standard).join("\n");
}

/** What `explain --rule` shows references for: a rule or diagnostic (its control and threats), or an Exchange control or threat. */
export interface RefsSubject {
  kind: "rule" | "diagnostic" | "control" | "threat";
  id: string;
  title: string;
  control: string | null;
  threats: readonly string[];
}

/**
 * `explain --rule <id>`: the references of a rule (or a control or threat) in each standard, with
 * each item's title and link and where the mapping comes from (a source at a commit, or reviewed).
 */
export function renderRefs(subject: RefsSubject): string {
  const ids = [...(subject.control ? [subject.control] : []), ...subject.threats];
  const out = [`${subject.kind} ${t(subject.id)}: ${t(subject.title)}`];
  if (subject.kind === "rule" || subject.kind === "diagnostic")
    out.push(`  control ${t(subject.control ?? "none")}${subject.threats.length ? `; threats ${subject.threats.map((x) => t(x)).join(", ")}` : ""}`);
  const refs = refsFor(subject.control, subject.threats);
  if (!Object.keys(refs).length) return out.concat("  no references in the crosswalk (policies/crosswalk/)").join("\n") + "\n";
  for (const [sid, items] of Object.entries(refs)) {
    const std = standardById(sid)!;
    out.push("", `  ${t(std.title)} ${t(std.version)} (${t(sid)})`);
    for (const id of items) {
      const item = std.items.find((i) => i.id === id);
      out.push(`    ${t(id)} ${t(item?.title ?? "", 120)}  ${t(item?.link ?? "")}`);
      for (const p of provenanceOf(ids, sid, id)) {
        const why = p.source
          ? `source ${t(p.source.repository.replace(/^https:\/\/github\.com\//, ""))}@${t(p.source.commit.slice(0, 12))} ${t(p.source.path)}`
          : `reviewed: ${t(p.reviewed ?? "")}`;
        out.push(`        from ${t(p.from)}: ${why}`);
      }
    }
  }
  return out.join("\n") + "\n";
}

export function renderExplain(s: SystemReport): string {
  const out: string[] = [`system ${t(s.name)} (${t(s.manifest)})`, ""];
  if (!s.evaluated) return out.concat("not evaluated: the manifest has errors (run `aigate check` to see them)").join("\n") + "\n";
  const fmt = (o: Record<string, boolean>) =>
    Object.entries(o)
      .map(([k, v]) => `${t(k)}=${v}`)
      .join(", ") || "none";
  out.push(`facts stated:   ${fmt(s.facts.stated)}`);
  out.push(`facts implied:  ${fmt(s.facts.implied)}`);
  out.push(`facts default:  ${fmt(s.facts.defaulted)}`);
  out.push(`facts unstated: ${s.facts.unstated.map((x) => t(x)).join(", ") || "none"} (include rules that need them fire: assumed)`, "");
  out.push("threats:");
  for (const th of s.threats) {
    const head = th.applies
      ? `applies  ${t(String(th.responsibility))}${th.priority === "low" ? ", low priority" : ""}${th.assumed ? ", assumed" : ""}`
      : "ignored";
    out.push(`  ${t(th.id).padEnd(34)} ${head}`);
    for (const r of th.reasons) {
      const facts = Object.entries(r.facts)
        .map(([k, v]) => `${t(k)}=${t(String(v))}`)
        .join(" ");
      out.push(
        `      ${t(r.effect).padEnd(12)} ${t(r.rule)}${facts ? ` [${facts}]` : ""}${r.assumed.length ? ` (assumed: ${r.assumed.map((x) => t(x)).join(", ")} not stated)` : ""}${r.note ? ` (${t(r.note)})` : ""}`,
      );
    }
    if (!th.reasons.length) out.push("      no rule includes it for this profile");
  }
  out.push("", "controls (verified: a rule found its evidence; claimed: the manifest says so, nothing checkable; not claimed: neither):");
  for (const c of s.controls) {
    const by = c.verifiedBy?.length ? ` (checked by ${c.verifiedBy.map((x) => t(x)).join(", ")})` : "";
    out.push(
      `  ${t(c.id).padEnd(34)} ${STATUS_WORDS[c.status]}${by}${c.claimed ? ` (manifest: ${t(c.claimed)})` : ""}${c.because.length ? ` <- ${c.because.map((x) => t(x)).join(", ")}` : ""}`,
    );
    const refs = refsText(refsOf(c.id));
    if (refs) out.push(`      standards: ${refs}`);
  }
  return out.join("\n") + "\n";
}
