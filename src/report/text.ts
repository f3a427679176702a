// The terminal report, read the way the best linters' output is read: findings grouped by file,
// the files with the worst problems first; each finding on one `path:line:column` line (clickable
// in editors and terminals; paths relative to the current folder), with the source line and a
// caret, the fix and the rule's documentation; then a one-line verdict per system and a closing
// summary whose last words are the gate's verdict. Under a baseline or `--scope changed` only the
// findings that can fail the gate are listed; the rest are counted. Colour only when asked.
//
// Every string from the scanned repository goes through termText (no terminal escape, control
// character, bidi mark or line break from content), and every line starts with aigate's own text,
// indentation or a location from termLocation, so content never starts a line (the runner reads
// `::name::` at the start of a line of the Action's log as a workflow command).
import { posix } from "node:path";
import type { Finding, Severity } from "../findings/types.js";
import { termLocation, termText } from "../util/escape.js";
import { ruleDocLink } from "./links.js";
import { pendingText } from "./pending.js";
import { matrixText } from "../crosswalk/matrix.js";
import type { ControlStatus, Report, SystemReport } from "./types.js";
import { stripTrailing } from "../util/strip.js";
import { append } from "../util/append.js";
import { byCodeUnits } from "../util/sorted.js";

export interface TextOptions {
  color?: boolean;
  /**
   * Joined before every report path so that locations are relative to the current folder (the
   * folder checked, as seen from where aigate runs); "" or undefined when that is the current folder.
   */
  pathPrefix?: string;
  /** List only open findings at or above this severity; the others are counted. */
  minSeverity?: Severity;
  /** Only the findings that fail the gate, one line each, and the verdict. */
  quiet?: boolean;
  /** The checked folder as the user wrote it, for the commands the output suggests. */
  dir?: string;
  /** A standard of the crosswalk (e.g. eu-ai-act): each system's controls by its clauses, before the verdict lines. */
  standard?: string;
}

const SEV_RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };
const SEV_COLOR: Record<Severity, number> = { error: 31, warning: 33, note: 36 };
/** Accepted and suppressed findings listed by name before they are only counted. */
const MAX_ACCEPTED_LISTED = 20;
const MAX_UNSCANNED_LISTED = 20;

/** `1 error`, `2 errors`: a count and what it counts. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const STATUS_WORDS: Record<ControlStatus, string> = {
  verified: "verified",
  claimed: "claimed (not verified)",
  "not-claimed": "not claimed",
  fail: "failing",
  accepted: "accepted",
  supplier: "supplier",
  "not-applicable": "n/a",
};
/** The order the per-system control counts are given in. */
const STATUS_ORDER: ControlStatus[] = ["verified", "claimed", "fail", "accepted", "not-claimed", "supplier", "not-applicable"];

export function renderText(r: Report, opts: TextOptions = {}): string {
  const c = (code: number, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const dim = (s: string) => c(2, s);
  const bold = (s: string) => c(1, s);
  const prefix = stripTrailing(opts.pathPrefix ?? "", "/");
  const shownPath = (p: string) => (p === "." ? prefix || "." : prefix && !posix.isAbsolute(p) ? posix.normalize(`${prefix}/${p}`) : p);
  const locationOf = (f: Finding) => (f.path === "." ? termLocation(shownPath(".")) : `${termLocation(shownPath(f.path))}:${f.line}:${f.column}`);
  const failRank = r.summary.failOn === "never" ? -1 : SEV_RANK[r.summary.failOn];
  const min = opts.quiet ? (failRank < 0 ? "error" : (r.summary.failOn as Severity)) : (opts.minSeverity ?? "note");
  const out: string[] = [];

  const open = r.findings.filter((f) => f.status === "open");
  const listed = open.filter((f) => SEV_RANK[f.severity] <= SEV_RANK[min]);
  const below = open.length - listed.length;
  const known = r.findings.filter((f) => f.status === "baselined" || f.status === "pre-existing");
  const waived = r.findings.filter((f) => f.status === "accepted" || f.status === "suppressed");

  const head = (f: Finding) => {
    const extra = f.pendingException ? dim(` (an exception this change adds would cover it after review: ${termText(f.pendingException)})`) : "";
    return `${locationOf(f)}: ${c(SEV_COLOR[f.severity], f.severity)} ${termText(f.message)} ${dim(`[${termText(f.ruleId)}${f.control ? " " + termText(f.control) : ""}]`)}${extra}`;
  };

  if (known.length && listed.length)
    out.push(
      bold(
        `${plural(listed.length, "new finding")} (the ${plural(known.length, "other finding")} ${known.length === 1 ? "is" : "are"} baselined or pre-existing: counted below, not listed)`,
      ),
      "",
    );

  // Grouped by file: the file with the worst findings first, then by line within it.
  const groups = new Map<string, Finding[]>();
  for (const f of listed) {
    const group = groups.get(f.path);
    if (group) group.push(f);
    else groups.set(f.path, [f]);
  }
  const count = (fs: Finding[], s: Severity) => fs.filter((f) => f.severity === s).length;
  // Each file's sort keys worked out once (a file may hold tens of thousands of findings).
  const keys = new Map<Finding[], { worst: number; errors: number; warnings: number }>();
  for (const fs of groups.values()) {
    let worst = Infinity;
    for (const f of fs) worst = Math.min(worst, SEV_RANK[f.severity]);
    keys.set(fs, { worst, errors: count(fs, "error"), warnings: count(fs, "warning") });
  }
  const ordered = [...groups].sort(([pa, a], [pb, b]) => {
    const [ka, kb] = [keys.get(a)!, keys.get(b)!];
    return ka.worst - kb.worst || kb.errors - ka.errors || kb.warnings - ka.warnings || b.length - a.length || byCodeUnits(pa, pb);
  });
  for (const [path, fs] of ordered) {
    fs.sort((a, b) => SEV_RANK[a.severity] - SEV_RANK[b.severity] || a.line - b.line || a.column - b.column || byCodeUnits(a.ruleId, b.ruleId));
    if (!opts.quiet) {
      const tally = (["error", "warning", "note"] as Severity[])
        .filter((s) => count(fs, s))
        .map((s) => plural(count(fs, s), s))
        .join(", ");
      out.push(`${bold(termLocation(shownPath(path)))} ${dim(`(${tally})`)}`);
    }
    const framed = new Set<string>();
    const explained = new Set<string>();
    for (const f of fs) {
      out.push(head(f));
      if (opts.quiet) continue;
      const at = `${f.line}:${f.column}`;
      if (f.snippet && !framed.has(at)) {
        framed.add(at);
        const num = String(f.line);
        const text = termText(f.snippet.text);
        const caret = termText(f.snippet.text.slice(0, Math.max(0, f.snippet.column - 1))).length;
        out.push(`  ${dim(`${num} |`)} ${text}`, `  ${" ".repeat(num.length)} ${dim("|")} ${" ".repeat(caret)}${c(SEV_COLOR[f.severity], "^")}`);
      }
      if (f.note) out.push(`  ${dim("note:")} ${termText(f.note)}`);
      // The fix and the docs once per rule and file: the next findings of the rule say so.
      if (explained.has(f.ruleId)) continue;
      explained.add(f.ruleId);
      if (f.remediation) out.push(`  ${c(32, "fix:")} ${termText(f.remediation)}`);
      const doc = ruleDocLink(f);
      if (doc) out.push(`  ${dim("docs:")} ${dim(termText(doc))}`);
    }
    if (!opts.quiet) out.push("");
  }
  if (listed.length && opts.quiet) out.push("");

  if (waived.length && !opts.quiet) {
    out.push(bold(`${plural(waived.length, "finding")} accepted or suppressed (${waived.length === 1 ? "it does" : "they do"} not fail the gate):`));
    for (const f of waived.slice(0, MAX_ACCEPTED_LISTED))
      out.push(
        `  ${locationOf(f)}: ${f.severity} ${termText(f.message)} ${dim(`[${termText(f.ruleId)}] (${f.status}${f.acceptedBy ? ": " + termText(f.acceptedBy) : ""})`)}`,
      );
    if (waived.length > MAX_ACCEPTED_LISTED) out.push(`  ...and ${waived.length - MAX_ACCEPTED_LISTED} more (--format json lists them)`);
    out.push("");
  }

  const notListed: string[] = [];
  const pre = known.filter((f) => f.status === "pre-existing").length;
  const based = known.length - pre;
  if (pre) notListed.push(`${pre} pre-existing (outside the lines the change touches)`);
  if (based) notListed.push(`${based} baselined`);
  if (below) notListed.push(`${plural(below, "open finding")} below ${opts.quiet ? `fail-on ${r.summary.failOn}` : `--min-severity ${min}`}`);
  if (opts.quiet && waived.length) notListed.push(`${waived.length} accepted or suppressed`);
  if (notListed.length) out.push(dim(`Not listed: ${notListed.join(", ")} (--format json lists every finding).`));

  if (r.inventory.unscanned.length && !opts.quiet) {
    out.push(`${plural(r.inventory.unscanned.length, "file")} could not be scanned (not counted as safe):`);
    for (const u of r.inventory.unscanned.slice(0, MAX_UNSCANNED_LISTED))
      out.push(`  ${termLocation(shownPath(u.path))}: ${termText(u.reason)} [${termText(u.scanner)}]`);
    if (r.inventory.unscanned.length > MAX_UNSCANNED_LISTED)
      out.push(`  ...and ${r.inventory.unscanned.length - MAX_UNSCANNED_LISTED} more (--format json lists them)`);
  }
  append(out, pendingText(r.pending));

  // One line per system, then the closing summary; the gate's verdict is the last words.
  if (out.length && out[out.length - 1] !== "") out.push("");
  if (opts.standard) append(out, matrixText(r.systems, opts.standard));
  for (const s of r.systems) out.push(systemLine(s, c, shownPath));
  const missing = r.findings.some((f) => f.ruleId === "manifest-missing");
  if (!r.systems.length || missing) {
    const dir = opts.dir && opts.dir !== "." ? ` ${termText(shellWord(opts.dir))}` : "";
    out.push(
      `${c(33, "hint:")} no AI system manifest was found; start one with \`aigate init${dir}\`, answer its UNKNOWN questions, then run \`aigate check${dir}\` again.`,
    );
  }
  const models = r.inventory.models.length;
  const declared = r.systems.reduce((n, s) => n + (s.models ?? 0), 0);
  const b = r.summary.bySeverity;
  const openText = open.length
    ? `${plural(open.length, "open finding")} (${plural(b.error, "error")}, ${plural(b.warning, "warning")}, ${plural(b.note, "note")})`
    : "no open findings";
  const others = Object.entries(r.summary.byStatus ?? {})
    .filter(([k, v]) => k !== "open" && v > 0)
    .map(([k, v]) => `${v} ${k}`);
  const verdict = r.summary.passed ? c(32, "passed") : c(31, "failed");
  out.push(
    `Checked ${plural(r.inventory.files, "file")} (${plural(models, "model file")}${declared ? `; ${plural(declared, "model")} declared` : ""}) and ${plural(r.systems.length, "system")}: ${openText}${others.length ? `; not failing: ${others.join(", ")}` : ""}. ` +
      `Gate (fail-on ${termText(r.summary.failOn)}): ${verdict}`,
  );
  return out.join("\n") + "\n";
}

/** One system's verdict, counts and control statuses on one line. */
function systemLine(s: SystemReport, c: (code: number, s: string) => string, shownPath: (p: string) => string): string {
  const name = `system ${termText(s.name)} (${termLocation(shownPath(s.manifest))})`;
  if (!s.evaluated) return `${name}: ${c(31, "not evaluated")}: the manifest has errors; fix them and check again`;
  const v = s.summary.verdict ?? (s.summary.passed ? "passed" : "failed");
  const word = v === "passed" ? c(32, "passed") : c(31, v === "not-evaluated" ? "not evaluated" : "failed");
  const open = `${plural(s.summary.errors, "error")}, ${plural(s.summary.warnings, "warning")}, ${plural(s.summary.notes, "note")} open${s.summary.accepted ? `, ${s.summary.accepted} accepted` : ""}`;
  const counts = STATUS_ORDER.map((st) => [st, s.controls.filter((x) => x.status === st).length] as const)
    .filter(([, n]) => n > 0)
    .map(([st, n]) => `${n} ${STATUS_WORDS[st]}`);
  const applying = s.threats.filter((t) => t.applies);
  const external = applying.filter((t) => t.responsibility !== "self").length;
  const threats = `${plural(applying.length, "threat")} ${applying.length === 1 ? "applies" : "apply"}${external ? ` (${external} to a supplier or shared)` : ""}`;
  const applicable = s.controls.length - s.controls.filter((x) => x.status === "not-applicable").length;
  return `${name}: ${word} — ${open}; ${plural(applicable, "control")} ${applicable === 1 ? "applies" : "apply"}: ${counts.filter((x) => !x.endsWith(" n/a")).join(", ") || "none"}; ${threats}`;
}

/** A folder name as a shell word in a suggested command (quoted when it needs it). */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
