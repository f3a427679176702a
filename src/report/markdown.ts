// Markdown for a glance: the gate's verdict and one verdict line per system first, then the
// findings that can fail the gate (linked to the file on GitHub when the run knows the repository
// and commit), the others folded away, then each system's control matrix, collapsed, with a
// Mermaid chart of its controls by status. Used for the job summary and `--format markdown`.
//
// Every string from the scanned repository goes through mdCode (names, paths) or mdText (prose);
// links are made only from aigate's own data and context (taxonomy, rules reference, the run's
// repository and commit; paths percent-encoded). The verdict line is the gate's. The output stays
// within a byte budget (GITHUB_STEP_SUMMARY takes at most 1 MiB per step): sections and rows that
// do not fit are counted in a closing line that points to the JSON report.
import { matrixMarkdown } from "../crosswalk/matrix.js";
import { pendingMarkdown } from "./pending.js";
import type { Finding, Severity } from "../findings/types.js";
import { mdCode, mdLink, mdText, safeHttpUrl } from "../util/escape.js";
import { blobLink, ruleDocLink, type RepositoryLinks } from "./links.js";
import type { ControlStatus, Report, SystemReport } from "./types.js";
import { append } from "../util/append.js";
import { byCodeUnits } from "../util/sorted.js";

/** How each control status is shown: only `verified` gets a tick. */
export const STATUS_LABEL: Record<ControlStatus, { icon: string; word: string }> = {
  verified: { icon: "✅", word: "verified" },
  claimed: { icon: "📝", word: "claimed, not verified" },
  "not-claimed": { icon: "⬜", word: "not claimed" },
  fail: { icon: "❌", word: "failing" },
  accepted: { icon: "⚠️", word: "accepted" },
  supplier: { icon: "🤝", word: "supplier" },
  "not-applicable": { icon: "➖", word: "n/a" },
};
/** Statuses in the order matrices and tallies list them: what needs attention first. */
export const STATUS_ORDER: ControlStatus[] = ["fail", "not-claimed", "claimed", "accepted", "supplier", "verified"];
const SEV_ICON = { error: "🔴", warning: "🟡", note: "🔵" } as const;

/** Default budget: under GitHub's 1 MiB step-summary limit, with room for what the Action appends. */
export const MARKDOWN_MAX_BYTES = 900 * 1024;
/** Kept for the closing lines (what was left out, the unscanned files). */
const RESERVE_BYTES = 24 * 1024;
const MESSAGE_MAX = 1000;
/** Verdict lines at the top; the other systems are counted. */
const MAX_SYSTEM_LINES = 200;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Lines appended while they fit in a byte budget. */
class Budget {
  readonly lines: string[] = [];
  private bytes = 0;
  constructor(private readonly max: number) {}

  /** Appends all of `lines` (one section) if they fit, else none; says which. */
  push(...lines: string[]): boolean {
    return this.add(lines);
  }

  /** push() for a section built as an array (a spread into arguments fails on a large one). */
  add(lines: readonly string[]): boolean {
    const size = lines.reduce((n, l) => n + Buffer.byteLength(l, "utf8") + 1, 0);
    if (this.bytes + size > this.max) return false;
    append(this.lines, lines);
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

export interface MarkdownOptions {
  maxFindings?: number;
  maxBytes?: number;
  /** The repository and commit the findings are about: locations become links to the file on GitHub. */
  links?: RepositoryLinks;
  /** A standard of the crosswalk (e.g. eu-ai-act): a table per system of its controls by the standard's clauses. */
  standard?: string;
}

/** A system's verdict as an icon and a word: never "passed" for a system that was not evaluated. */
export function systemVerdict(s: SystemReport): { icon: string; word: string } {
  const v = s.summary.verdict ?? (!s.evaluated ? "not-evaluated" : s.summary.passed ? "passed" : "failed");
  return v === "passed" ? { icon: "✅", word: "passed" } : v === "not-evaluated" ? { icon: "❌", word: "not evaluated" } : { icon: "❌", word: "failed" };
}

/** `❌ 24 failing · ⬜ 12 not claimed · ✅ 4 verified` (statuses with no control left out), and the n/a count. */
export function controlTally(s: SystemReport): string {
  const parts = STATUS_ORDER.map((st) => [st, s.controls.filter((c) => c.status === st).length] as const)
    .filter(([, n]) => n > 0)
    .map(([st, n]) => `${STATUS_LABEL[st].icon} ${n} ${STATUS_LABEL[st].word}`);
  const na = s.controls.filter((c) => c.status === "not-applicable").length;
  return [...parts, ...(na ? [`${STATUS_LABEL["not-applicable"].icon} ${na} n/a`] : [])].join(" · ") || "no controls";
}

/** One line per system: verdict, open findings, controls (Markdown list items). */
export function systemLines(systems: readonly SystemReport[]): string[] {
  return systems.map((s) => {
    const v = systemVerdict(s);
    const name = `${mdCode(s.name, { table: false })} (${mdCode(s.manifest, { table: false })})`;
    if (!s.evaluated) return `- ${v.icon} ${name}: **${v.word}**: the manifest has errors, so no threat or control was evaluated`;
    const open = `${plural(s.summary.errors, "error")}, ${plural(s.summary.warnings, "warning")}, ${plural(s.summary.notes, "note")} open${s.summary.accepted ? `, ${s.summary.accepted} accepted` : ""}`;
    return `- ${v.icon} ${name}: **${v.word}**: ${open} · controls: ${controlTally(s)}`;
  });
}

/** A Mermaid pie chart of a system's applicable controls by status (aigate's own words and numbers only). */
export function controlChart(s: SystemReport): string[] {
  const counts = STATUS_ORDER.map((st) => [st, s.controls.filter((c) => c.status === st).length] as const).filter(([, n]) => n > 0);
  if (counts.length < 2) return [];
  return ["```mermaid", "pie showData", "    title Applicable controls by status", ...counts.map(([st, n]) => `    "${STATUS_LABEL[st].word}" : ${n}`), "```"];
}

/** A finding's location: a link to the line on GitHub when the run knows where, else a code span. */
export function locationCell(f: Finding, links: RepositoryLinks | undefined, table = true): string {
  const text = f.path === "." ? mdCode("(checked folder)", { table }) : mdCode(`${f.path}:${f.line}`, { table });
  const href = safeHttpUrl(blobLink(links, f.path, f.line));
  return href ? `[${text}](${href})` : text;
}

/** The rule id, linked to its documentation (the rules reference, or the rule's Exchange control). */
export function ruleCell(f: Finding, table = true): string {
  const href = safeHttpUrl(ruleDocLink(f));
  const text = mdCode(f.ruleId, { table });
  return href ? `[${text}](${href})` : text;
}

export function renderMarkdown(r: Report, opts: MarkdownOptions = {}): string {
  const maxBytes = opts.maxBytes ?? MARKDOWN_MAX_BYTES;
  const out = new Budget(Math.max(1024, maxBytes - Math.min(RESERVE_BYTES, maxBytes / 4)));
  const b = r.summary.bySeverity;
  out.force(`## aigate: ${r.summary.passed ? "✅ passed" : "❌ failed"}`);
  out.force("");
  const failing = r.systems.filter((s) => systemVerdict(s).word !== "passed").length;
  const who = r.systems.length
    ? `${failing ? `**${failing} of ${plural(r.systems.length, "system")}** ${failing === 1 ? "fails" : "fail"} the gate` : `${plural(r.systems.length, "system")}, all passing`}. `
    : "No AI system manifest was found (run `aigate init` to start one). ";
  out.force(
    `${who}${plural(b.error, "error")}, ${plural(b.warning, "warning")}, ${plural(b.note, "note")} open; ${r.summary.accepted} accepted (fail-on ${mdCode(r.summary.failOn, { table: false })}). ` +
      `${plural(r.inventory.files, "file")} and ${plural(r.inventory.models.length, "model file")} scanned.`,
  );
  if (r.systems.length) {
    out.force("");
    const lines = systemLines(r.systems.slice(0, MAX_SYSTEM_LINES));
    let listed = 0;
    for (const l of lines) {
      if (!out.push(l)) break;
      listed++;
    }
    if (r.systems.length > listed) out.force(`- …and ${r.systems.length - listed} more systems in the JSON report.`);
  }
  out.force(...pendingMarkdown(r.pending, 50));
  findingsSection(out, r, opts.maxFindings ?? 200, opts.links);

  let systemsLeft = 0;
  const matrices = r.systems.filter((s) => s.evaluated);
  if (matrices.length) out.push("", "### Controls and threats");
  for (const [i, s] of matrices.entries()) {
    if (!out.add(["", ...systemSection(s)])) {
      systemsLeft = matrices.length - i;
      break;
    }
  }
  if (systemsLeft) out.force("", `…${systemsLeft} more systems in the JSON report.`);
  if (opts.standard && matrices.length && !out.add(["", ...matrixMarkdown(r, opts.standard)]))
    out.force("", `The ${mdText(opts.standard)} matrix does not fit: see \`aigate explain --standard ${mdText(opts.standard)}\`.`);
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

/** A system's control matrix and threat list, folded away. */
function systemSection(s: SystemReport): string[] {
  const out = [`#### ${mdCode(s.name, { table: false })}`, ""];
  const applying = s.threats.filter((t) => t.applies);
  if (s.facts.unstated.length)
    out.push(`Unstated facts (the analysis assumed the worst): ${s.facts.unstated.map((f) => mdCode(f, { table: false })).join(", ")}`, "");
  const shown = s.controls
    .filter((x) => x.status !== "not-applicable")
    .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || byCodeUnits(a.id, b.id));
  out.push(`<details><summary>Controls: ${mdText(controlTally(s))}</summary>`, "");
  append(out, controlChart(s));
  out.push("", "| control | status | claimed | mitigates |", "| --- | --- | --- | --- |");
  for (const c of shown) {
    const mitigates = c.because.slice(0, 5).join(", ") + (c.because.length > 5 ? `, +${c.because.length - 5}` : "");
    const label = STATUS_LABEL[c.status];
    out.push(`| ${mdLink(c.id, c.link)} | ${label.icon} ${label.word} | ${c.claimed ? mdText(c.claimed, 100) : "—"} | ${mdText(mitigates)} |`);
  }
  const na = s.controls.length - shown.length;
  if (na) out.push("", `${plural(na, "control")} ${na === 1 ? "does" : "do"} not apply to this system.`);
  out.push(
    "",
    "</details>",
    "",
    `<details><summary>${plural(applying.length, "threat")} ${applying.length === 1 ? "applies" : "apply"}</summary>`,
    "",
    "| threat | responsibility | priority | why |",
    "| --- | --- | --- | --- |",
  );
  for (const t of applying) {
    const why = t.reasons
      .filter((x) => x.effect !== "ignore")
      .map((x) => x.rule + (x.assumed.length ? ` (assumed ${x.assumed.join(", ")})` : ""))
      .join("; ");
    out.push(`| ${mdLink(t.id, t.link)} | ${mdText(String(t.responsibility))} | ${mdText(String(t.priority))} | ${mdText(why)} |`);
  }
  out.push("", "</details>");
  return out;
}

const SEV_RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

/** The findings that can fail the gate, worst first; then those that cannot, folded away. */
function findingsSection(out: Budget, r: Report, max: number, links: RepositoryLinks | undefined): void {
  const findings = r.findings;
  if (!findings.length) {
    out.force("", "No findings.");
    return;
  }
  const open = findings
    .filter((f) => f.status === "open")
    .sort((a, b) => SEV_RANK[a.severity] - SEV_RANK[b.severity] || byCodeUnits(a.path, b.path) || a.line - b.line);
  const known = findings.filter((f) => f.status === "baselined" || f.status === "pre-existing");
  const waived = findings.filter((f) => f.status !== "open" && f.status !== "baselined" && f.status !== "pre-existing");
  const title = known.length ? "New findings" : "Open findings";
  if (!out.push("", `### ${title} (${open.length})`)) {
    out.force("", `…${findings.length} findings in the JSON report.`);
    return;
  }
  let shown = 0;
  if (open.length && out.push("", "| | location | finding | rule |", "| --- | --- | --- | --- |")) {
    for (const f of open.slice(0, max)) {
      if (!out.push(`| ${SEV_ICON[f.severity]} | ${locationCell(f, links)} | ${mdText(f.message, MESSAGE_MAX)} | ${ruleCell(f)} |`)) break;
      shown++;
    }
  } else if (!open.length) out.push("", "None.");
  if (open.length > shown) out.force("", `…and ${open.length - shown} more findings in the JSON report.`);
  for (const [group, summary] of [
    [waived, `${plural(waived.length, "finding")} accepted or suppressed (${waived.length === 1 ? "it does" : "they do"} not fail the gate)`],
    [known, `${plural(known.length, "finding")} baselined or pre-existing (${known.length === 1 ? "it does" : "they do"} not fail the gate)`],
  ] as const) {
    if (!group.length) continue;
    const rows: string[] = [];
    for (const f of group.slice(0, 50))
      rows.push(
        `- ${SEV_ICON[f.severity]} ${locationCell(f, links, false)} ${mdText(f.message, 300)} (${ruleCell(f, false)}, ${mdText(f.status)}${f.acceptedBy ? `: ${mdText(f.acceptedBy, 200)}` : ""})`,
      );
    if (group.length > 50) rows.push(`- …and ${group.length - 50} more in the JSON report`);
    out.add(["", `<details><summary>${summary}</summary>`, "", ...rows, "", "</details>"]);
  }
}
