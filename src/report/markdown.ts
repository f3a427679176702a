// Markdown: the verdict, the control matrix per system (applicable threats x controls x status)
// and the findings. Used for the job summary and `--format markdown`.
//
// Every string from the scanned repository goes through mdCode (names, paths) or mdText (prose);
// links are made only from aigate's own data (taxonomy). The verdict line is the gate's. The
// output stays within a byte budget (GITHUB_STEP_SUMMARY takes at most 1 MiB per step): sections
// and rows that do not fit are counted in a closing line that points to the JSON report.
import { pendingMarkdown } from "./pending.js";
import type { Finding } from "../findings/types.js";
import { mdCode, mdLink, mdText } from "../util/escape.js";
import type { ControlStatus, Report, SystemReport } from "./types.js";

const STATUS_ICON: Record<ControlStatus, string> = { pass: "✅ pass", fail: "❌ fail", accepted: "⚠️ accepted", supplier: "🤝 supplier", "not-applicable": "➖ n/a" };
const SEV_ICON = { error: "🔴", warning: "🟡", note: "🔵" } as const;

/** Default budget: under GitHub's 1 MiB step-summary limit, with room for what the Action appends. */
export const MARKDOWN_MAX_BYTES = 900 * 1024;
/** Kept for the closing lines (what was left out, the unscanned files). */
const RESERVE_BYTES = 24 * 1024;
const MESSAGE_MAX = 1000;

/** Lines appended while they fit in a byte budget. */
class Budget {
  readonly lines: string[] = [];
  private bytes = 0;
  constructor(private readonly max: number) {}

  /** Appends all of `lines` (one section) if they fit, else none; says which. */
  push(...lines: string[]): boolean {
    const size = lines.reduce((n, l) => n + Buffer.byteLength(l, "utf8") + 1, 0);
    if (this.bytes + size > this.max) return false;
    this.lines.push(...lines);
    this.bytes += size;
    return true;
  }

  /** Appends regardless (the closing lines the reserve is kept for). */
  force(...lines: string[]): void {
    for (const l of lines) {
      this.lines.push(l);
      this.bytes += Buffer.byteLength(l, "utf8") + 1;
    }
  }
}

export function renderMarkdown(r: Report, opts: { maxFindings?: number; maxBytes?: number } = {}): string {
  const maxBytes = opts.maxBytes ?? MARKDOWN_MAX_BYTES;
  const out = new Budget(Math.max(1024, maxBytes - Math.min(RESERVE_BYTES, maxBytes / 4)));
  const b = r.summary.bySeverity;
  out.force(`## aigate: ${r.summary.passed ? "✅ passed" : "❌ failed"}`);
  out.force("");
  out.force(`${b.error} errors, ${b.warning} warnings, ${b.note} notes open; ${r.summary.accepted} accepted (fail-on: ${mdCode(r.summary.failOn, { table: false })}). ${r.inventory.files} files, ${r.inventory.models.length} models scanned.`);
  out.force(...pendingMarkdown(r.pending, 50));
  let systemsLeft = 0;
  for (const [i, s] of r.systems.entries()) {
    if (!out.push("", ...systemSection(s))) {
      systemsLeft = r.systems.length - i;
      break;
    }
  }
  if (systemsLeft) out.force("", `…${systemsLeft} more systems in the JSON report.`);
  findingsTable(out, r.findings, opts.maxFindings ?? 200);
  if (r.inventory.unscanned.length) {
    out.force("", `### Not scanned (${r.inventory.unscanned.length})`, "", "These files could not be scanned and are not counted as safe.", "");
    let shown = 0;
    for (const u of r.inventory.unscanned.slice(0, 50)) {
      if (!out.push(`- ${mdCode(u.path, { table: false })}: ${mdText(u.reason, 300)}`)) break;
      shown++;
    }
    if (r.inventory.unscanned.length > shown) out.force(`- …${r.inventory.unscanned.length - shown} more in the JSON report.`);
  }
  return out.lines.join("\n") + "\n";
}

function systemSection(s: SystemReport): string[] {
  const head = `### System ${mdCode(s.name, { table: false })} (${mdCode(s.manifest, { table: false })})`;
  if (!s.evaluated) return [head, "", "❌ Not evaluated: the manifest has errors (see the findings)."];
  const out = [head, ""];
  const applying = s.threats.filter((t) => t.applies);
  if (s.facts.unstated.length) out.push(`Unstated facts (assumed the worst): ${s.facts.unstated.map((f) => mdCode(f, { table: false })).join(", ")}`, "");
  out.push(`<details><summary>${applying.length} threats apply</summary>`, "", "| threat | responsibility | priority | why |", "| --- | --- | --- | --- |");
  for (const t of applying) {
    const why = t.reasons.filter((x) => x.effect !== "ignore").map((x) => x.rule + (x.assumed.length ? ` (assumed ${x.assumed.join(", ")})` : "")).join("; ");
    out.push(`| ${mdLink(t.id, t.link)} | ${mdText(String(t.responsibility))} | ${mdText(String(t.priority))} | ${mdText(why)} |`);
  }
  out.push("", "</details>", "", "| control | status | claimed | mitigates |", "| --- | --- | --- | --- |");
  for (const c of s.controls.filter((x) => x.status !== "not-applicable")) {
    const mitigates = c.because.slice(0, 5).join(", ") + (c.because.length > 5 ? `, +${c.because.length - 5}` : "");
    out.push(`| ${mdLink(c.id, c.link)} | ${STATUS_ICON[c.status]} | ${c.claimed ? mdText(c.claimed, 100) : "—"} | ${mdText(mitigates)} |`);
  }
  const na = s.controls.filter((x) => x.status === "not-applicable").length;
  if (na) out.push("", `${na} controls do not apply to this system.`);
  return out;
}

function findingsTable(out: Budget, findings: Finding[], max: number): void {
  if (!findings.length) {
    out.force("", "No findings.");
    return;
  }
  if (!out.push("", `### Findings (${findings.length})`, "", "| | location | finding | rule | control |", "| --- | --- | --- | --- | --- |")) {
    out.force("", `…${findings.length} findings in the JSON report.`);
    return;
  }
  let shown = 0;
  for (const f of findings.slice(0, max)) {
    const status = f.status !== "open" ? ` _(${f.status})_` : "";
    if (!out.push(`| ${SEV_ICON[f.severity]} | ${mdCode(`${f.path}:${f.line}:${f.column}`)} | ${mdText(f.message, MESSAGE_MAX)}${status} | ${mdCode(f.ruleId)} | ${f.control ? mdText(f.control) : ""} |`)) break;
    shown++;
  }
  if (findings.length > shown) out.force("", `…and ${findings.length - shown} more findings in the JSON report.`);
}
