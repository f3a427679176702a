// The terminal report: findings as file:line:column lines (clickable in editors), grouped by system,
// then the verdict. Colour only when the output is a terminal.
//
// Every string from the scanned repository goes through termText (no terminal escape, control
// character, bidi mark or line break from content), and every line starts with aigate's own text
// or a location from termLocation, so content never starts a line (the runner reads `::name::` at
// the start of a line of the Action's log as a workflow command).
import { termLocation, termText } from "../util/escape.js";
import { pendingText } from "./pending.js";
import type { Report } from "./types.js";

const SEV_LABEL = { error: "error", warning: "warning", note: "note" } as const;

export function renderText(r: Report, opts: { color?: boolean } = {}): string {
  const c = (code: number, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor = { error: 31, warning: 33, note: 36 } as const;
  const out: string[] = [];
  for (const f of r.findings) {
    const status = f.status !== "open" ? c(2, ` (${f.status}${f.acceptedBy ? ": " + termText(f.acceptedBy) : ""})`) : "";
    out.push(`${termLocation(f.path)}:${f.line}:${f.column}: ${c(sevColor[f.severity], SEV_LABEL[f.severity])} ${termText(f.message)} ${c(2, `[${termText(f.ruleId)}${f.control ? " " + termText(f.control) : ""}]`)}${status}`);
  }
  if (r.findings.length) out.push("");
  for (const s of r.systems) {
    const name = `system ${termText(s.name)} (${termText(s.manifest)})`;
    if (!s.evaluated) {
      out.push(`${name}: not evaluated, the manifest has errors`);
      continue;
    }
    const applying = s.threats.filter((t) => t.applies);
    const counts = (st: string) => s.controls.filter((x) => x.status === st).length;
    out.push(
      `${name}: ${applying.length} threats apply (${applying.filter((t) => t.responsibility !== "self").length} supplier/shared); ` +
        `controls ${counts("pass")} pass, ${counts("fail")} fail, ${counts("accepted")} accepted, ${counts("supplier")} supplier, ${counts("not-applicable")} n/a`,
    );
  }
  if (r.inventory.unscanned.length) {
    out.push(`${r.inventory.unscanned.length} file(s) could not be scanned (not counted as safe):`);
    for (const u of r.inventory.unscanned.slice(0, 20)) out.push(`  ${termLocation(u.path)}: ${termText(u.reason)} [${termText(u.scanner)}]`);
    if (r.inventory.unscanned.length > 20) out.push(`  ... and ${r.inventory.unscanned.length - 20} more (see --format json)`);
  }
  out.push(...pendingText(r.pending));
  const b = r.summary.bySeverity;
  const verdict = r.summary.passed ? c(32, "passed") : c(31, "failed");
  out.push(
    `${r.inventory.files} files, ${r.inventory.models.length} models, ${r.systems.length} system(s): ${b.error} errors, ${b.warning} warnings, ${b.note} notes open, ${r.summary.findings - r.summary.open} not failing (${Object.entries(r.summary.byStatus ?? {}).filter(([k]) => k !== "open").map(([k, v]) => `${v} ${k}`).join(", ") || "none"}). ` +
      `Gate (fail-on ${termText(r.summary.failOn)}): ${verdict}`,
  );
  return out.join("\n") + "\n";
}
