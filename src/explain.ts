// `aigate explain`: why each Exchange threat applies to a system or not, and which controls follow.
import type { SystemReport } from "./report/types.js";

export function renderExplain(s: SystemReport): string {
  const out: string[] = [`system ${s.name} (${s.manifest})`, ""];
  if (!s.evaluated) return out.concat("not evaluated: the manifest has errors (run `aigate check` to see them)").join("\n") + "\n";
  const fmt = (o: Record<string, boolean>) => Object.entries(o).map(([k, v]) => `${k}=${v}`).join(", ") || "none";
  out.push(`facts stated:   ${fmt(s.facts.stated)}`);
  out.push(`facts implied:  ${fmt(s.facts.implied)}`);
  out.push(`facts default:  ${fmt(s.facts.defaulted)}`);
  out.push(`facts unstated: ${s.facts.unstated.join(", ") || "none"} (include rules that need them fire: assumed)`, "");
  out.push("threats:");
  for (const t of s.threats) {
    const head = t.applies ? `applies  ${t.responsibility}${t.priority === "low" ? ", low priority" : ""}${t.assumed ? ", assumed" : ""}` : "ignored";
    out.push(`  ${t.id.padEnd(34)} ${head}`);
    for (const r of t.reasons) {
      const facts = Object.entries(r.facts).map(([k, v]) => `${k}=${v}`).join(" ");
      out.push(`      ${r.effect.padEnd(12)} ${r.rule}${facts ? ` [${facts}]` : ""}${r.assumed.length ? ` (assumed: ${r.assumed.join(", ")} not stated)` : ""}${r.note ? ` (${r.note})` : ""}`);
    }
    if (!t.reasons.length) out.push("      no rule includes it for this profile");
  }
  out.push("", "controls:");
  for (const c of s.controls) {
    out.push(`  ${c.id.padEnd(34)} ${c.status}${c.claimed ? ` (claimed: ${c.claimed})` : ""}${c.because.length ? ` <- ${c.because.join(", ")}` : ""}`);
  }
  return out.join("\n") + "\n";
}
