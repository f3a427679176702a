// Markdown: the verdict, the control matrix per system (applicable threats x controls x status)
// and the findings. Used for the job summary and `--format markdown`.
import type { Finding } from "../findings/types.js";
import type { ControlStatus, Report, SystemReport } from "./types.js";

const STATUS_ICON: Record<ControlStatus, string> = { pass: "✅ pass", fail: "❌ fail", accepted: "⚠️ accepted", supplier: "🤝 supplier", "not-applicable": "➖ n/a" };
const SEV_ICON = { error: "🔴", warning: "🟡", note: "🔵" } as const;

const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(r: Report, opts: { maxFindings?: number } = {}): string {
  const out: string[] = [];
  const b = r.summary.bySeverity;
  out.push(`## aigate: ${r.summary.passed ? "✅ passed" : "❌ failed"}`);
  out.push("");
  out.push(`${b.error} errors, ${b.warning} warnings, ${b.note} notes open; ${r.summary.accepted} accepted (fail-on: \`${r.summary.failOn}\`). ${r.inventory.files} files, ${r.inventory.models.length} models scanned.`);
  for (const s of r.systems) out.push("", ...systemSection(s));
  out.push("", ...findingsTable(r.findings, opts.maxFindings ?? 200));
  if (r.inventory.unscanned.length) {
    out.push("", `### Not scanned (${r.inventory.unscanned.length})`, "", "These files could not be scanned and are not counted as safe.", "");
    for (const u of r.inventory.unscanned.slice(0, 50)) out.push(`- \`${u.path}\`: ${esc(u.reason)}`);
  }
  return out.join("\n") + "\n";
}

function systemSection(s: SystemReport): string[] {
  if (!s.evaluated) return [`### System \`${s.name}\` (\`${s.manifest}\`)`, "", "❌ Not evaluated: the manifest has errors (see the findings)."];
  const out = [`### System \`${s.name}\` (\`${s.manifest}\`)`, ""];
  const applying = s.threats.filter((t) => t.applies);
  if (s.facts.unstated.length) out.push(`Unstated facts (assumed the worst): ${s.facts.unstated.map((f) => `\`${f}\``).join(", ")}`, "");
  out.push(`<details><summary>${applying.length} threats apply</summary>`, "", "| threat | responsibility | priority | why |", "| --- | --- | --- | --- |");
  for (const t of applying) {
    const why = t.reasons.filter((x) => x.effect !== "ignore").map((x) => x.rule + (x.assumed.length ? ` (assumed ${x.assumed.join(", ")})` : "")).join("; ");
    out.push(`| [${t.id}](${t.link}) | ${t.responsibility} | ${t.priority} | ${esc(why)} |`);
  }
  out.push("", "</details>", "", "| control | status | claimed | mitigates |", "| --- | --- | --- | --- |");
  for (const c of s.controls.filter((x) => x.status !== "not-applicable")) {
    const mitigates = c.because.slice(0, 5).join(", ") + (c.because.length > 5 ? `, +${c.because.length - 5}` : "");
    out.push(`| [${c.id}](${c.link}) | ${STATUS_ICON[c.status]} | ${c.claimed ?? "—"} | ${mitigates} |`);
  }
  const na = s.controls.filter((x) => x.status === "not-applicable").length;
  if (na) out.push("", `${na} controls do not apply to this system.`);
  return out;
}

function findingsTable(findings: Finding[], max: number): string[] {
  if (!findings.length) return ["No findings."];
  const out = [`### Findings (${findings.length})`, "", "| | location | finding | rule | control |", "| --- | --- | --- | --- | --- |"];
  for (const f of findings.slice(0, max)) {
    const status = f.status !== "open" ? ` _(${f.status})_` : "";
    out.push(`| ${SEV_ICON[f.severity]} | \`${f.path}:${f.line}:${f.column}\` | ${esc(f.message)}${status} | \`${f.ruleId}\` | ${f.control ?? ""} |`);
  }
  if (findings.length > max) out.push("", `…and ${findings.length - max} more findings in the JSON report.`);
  return out;
}
