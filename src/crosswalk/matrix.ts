// A standard's view of a system, for auditors: each clause (item) of the standard, the system's
// applicable controls that map to it with their status, so that "which controls cover EU AI Act
// Art. 15, and are they verified?" has an answer. A control maps to a clause directly (its own
// references); for the standards whose items are risks or attacks (RISK_STANDARDS), also through
// an applicable threat it mitigates (`because`) that maps to the clause. Clauses no applicable
// control maps to are counted, not listed (ATLAS alone has hundreds).
import type { ControlStatus, Report, SystemReport } from "../report/types.js";
import { mdCode, mdLink, mdText, termText } from "../util/escape.js";
import { refsOf, standardById } from "./index.js";
import type { Standard, StandardItem, StandardRefs } from "./types.js";

export interface MatrixControl {
  id: string;
  status: ControlStatus;
  /** Empty when the control maps to the clause itself; else the applicable threats through which it does. */
  via: string[];
}

export interface MatrixRow {
  item: StandardItem;
  controls: MatrixControl[];
}

export interface StandardMatrix {
  standard: Standard;
  rows: MatrixRow[];
  /** Clauses of the standard no applicable control of the system maps to. */
  uncovered: number;
}

/** Standards whose items are risks or attacks: a control counts under an item through the threats it mitigates. */
export const RISK_STANDARDS: ReadonlySet<string> = new Set(["owasp-llm-2025", "owasp-agentic-threats", "nist-ai-100-2"]);

/** The words for each status in the matrix (the Markdown matrix adds the report's icons). */
export const MATRIX_STATUS: Record<ControlStatus, string> = {
  verified: "verified",
  claimed: "claimed",
  "not-claimed": "not-claimed",
  fail: "fail",
  accepted: "accepted",
  supplier: "supplier",
  "not-applicable": "n-a",
};

/** The matrix of one system under one standard (the standard id must exist: resolve it first). */
export function standardMatrix(s: SystemReport, standardId: string): StandardMatrix {
  const standard = standardById(standardId);
  if (!standard) throw new Error(`unknown standard ${standardId}`);
  const rows: MatrixRow[] = [];
  const threatRefs = new Map<string, StandardRefs>();
  const applying = new Set(s.threats.filter((t) => t.applies).map((t) => t.id));
  for (const item of standard.items) {
    const controls: MatrixControl[] = [];
    for (const c of s.controls) {
      if (c.status === "not-applicable") continue;
      const direct = (refsOf(c.id)[standardId] ?? []).includes(item.id);
      const via = !RISK_STANDARDS.has(standardId)
        ? []
        : c.because.filter((th) => applying.has(th) && (threatRefs.get(th) ?? threatRefs.set(th, refsOf(th)).get(th)!)[standardId]?.includes(item.id));
      if (direct || via.length) controls.push({ id: c.id, status: c.status, via: direct ? [] : via });
    }
    if (controls.length) rows.push({ item, controls });
  }
  return { standard, rows, uncovered: standard.items.length - rows.length };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** At most two threats, then how many more. */
const viaList = (via: string[]) => via.slice(0, 2).join(", ") + (via.length > 2 ? `, +${via.length - 2}` : "");

/** The matrix as terminal text (every string from data through termText). */
export function matrixText(systems: readonly SystemReport[], standardId: string): string[] {
  const out: string[] = [];
  for (const s of systems) {
    if (!s.evaluated) {
      out.push(`system ${termText(s.name)}: not evaluated (the manifest has errors), no ${termText(standardId)} matrix`, "");
      continue;
    }
    const m = standardMatrix(s, standardId);
    out.push(`system ${termText(s.name)}: ${termText(m.standard.title)} ${termText(m.standard.version)} (clause -> controls -> status)`);
    for (const r of m.rows) {
      out.push(`  ${termText(r.item.id)} ${termText(r.item.title, 100)}`);
      for (const c of r.controls)
        out.push(`      ${termText(c.id).padEnd(34)} ${MATRIX_STATUS[c.status]}${c.via.length ? ` (via ${termText(viaList(c.via))})` : ""}`);
    }
    if (!m.rows.length) out.push("  no applicable control maps to this standard");
    if (m.uncovered)
      out.push(`  ${plural(m.uncovered, "other clause")} of ${termText(m.standard.id)} ${m.uncovered === 1 ? "has" : "have"} no applicable control`);
    out.push("");
  }
  return out;
}

const ICON: Record<ControlStatus, string> = {
  verified: "✅",
  claimed: "📝",
  "not-claimed": "⬜",
  fail: "❌",
  accepted: "⚠️",
  supplier: "🤝",
  "not-applicable": "➖",
};

/** The matrix as Markdown, one table per evaluated system (strings from data through mdText). */
export function matrixMarkdown(r: Report, standardId: string): string[] {
  const standard = standardById(standardId);
  if (!standard) return [];
  const out = [`### ${mdText(standard.title)} ${mdText(standard.version)}: controls by clause`];
  for (const s of r.systems.filter((x) => x.evaluated)) {
    const m = standardMatrix(s, standardId);
    out.push("", `#### ${mdCode(s.name, { table: false })}`, "", "| clause | control | status |", "| --- | --- | --- |");
    for (const row of m.rows) {
      row.controls.forEach((c, i) => {
        const clause = i === 0 ? `${mdLink(row.item.id, row.item.link)} ${mdText(row.item.title, 100)}` : "";
        out.push(`| ${clause} | ${mdText(c.id)}${c.via.length ? ` (via ${mdText(viaList(c.via))})` : ""} | ${ICON[c.status]} ${MATRIX_STATUS[c.status]} |`);
      });
    }
    if (!m.rows.length) out.push("| — | no applicable control maps to this standard | — |");
    if (m.uncovered)
      out.push("", `${plural(m.uncovered, "other clause")} of ${mdText(standard.id)} ${m.uncovered === 1 ? "has" : "have"} no applicable control.`);
  }
  return out;
}
