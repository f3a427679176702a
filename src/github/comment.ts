// The sticky PR comment: one per system, found again by a hidden marker and updated in place. It
// carries the verdict, counts, the control matrix, what the PR adds and what it fixed, and stays
// under GitHub's comment size limit (the rest is in the job summary).
import type { BaselineEntry } from "../baseline.js";
import type { Finding, Severity } from "../findings/types.js";
import type { ControlStatus, Report, SystemReport } from "../report/types.js";
import type { Octokit } from "./client.js";

/** GitHub refuses longer comment bodies (422 "Body is too long (maximum is 65536 characters)"). */
export const COMMENT_MAX_CHARS = 65536;
const STATE_MAX_FINGERPRINTS = 400;

const STATUS: Record<ControlStatus, string> = { fail: "❌", accepted: "⚠️", supplier: "🤝", pass: "✅", "not-applicable": "➖" };
const SEV: Record<Severity, string> = { error: "🔴", warning: "🟡", note: "🔵" };

export function commentMarker(system: string): string {
  return `<!-- aigate:sticky-comment system=${encodeURIComponent(system)} -->`;
}

/** The systems that get a comment: every system of the report, or one for the repository when there is none. */
export function commentTargets(report: Report): { name: string; system: SystemReport | null; findings: Finding[] }[] {
  if (report.systems.length === 0) return [{ name: "(repository)", system: null, findings: report.findings }];
  const targets = report.systems.map((s) => ({ name: s.name, system: s as SystemReport | null, findings: report.findings.filter((f) => (s.evaluated ? f.system === s.name : f.path === s.manifest)) }));
  // Findings of no system (repository-wide) go with the first system's comment rather than nowhere.
  const owned = new Set(targets.flatMap((t) => t.findings));
  const rest = report.findings.filter((f) => !owned.has(f));
  if (rest.length) targets[0]!.findings = [...targets[0]!.findings, ...rest];
  return targets;
}

export interface CommentContext {
  name: string;
  system: SystemReport | null;
  findings: Finding[];
  failOn: string;
  scope: string;
  runUrl: string | null;
  /** Baseline entries of this system no longer found. */
  fixed: BaselineEntry[];
  /** Fingerprints the previous version of this comment listed as open (to say what this push fixed). */
  previouslyOpen: string[] | null;
  /** Whether "new" can be told apart from "pre-existing" (scope changed, or a baseline). */
  knowsBase: boolean;
}

const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;");

export function isClean(findings: readonly Finding[]): boolean {
  return !findings.some((f) => f.status === "open");
}

/** The comment body; `rows` bounds the finding rows so the body fits (the caller shrinks it). */
export function renderComment(c: CommentContext, rows = 200): string {
  const open = c.findings.filter((f) => f.status === "open");
  const count = (s: Severity) => open.filter((f) => f.severity === s).length;
  const n = (st: Finding["status"]) => c.findings.filter((f) => f.status === st).length;
  const passed = c.system ? c.system.summary.passed : !open.some((f) => f.severity === "error");
  const out: string[] = [commentMarker(c.name)];
  out.push(`### aigate · \`${c.name}\`: ${passed ? "✅ passed" : "❌ failed"}`, "");
  out.push(`${SEV.error} **${count("error")}** errors · ${SEV.warning} **${count("warning")}** warnings · ${SEV.note} **${count("note")}** notes open · ${n("accepted")} accepted · ${n("baselined")} baselined · ${n("pre-existing")} pre-existing (fail-on \`${c.failOn}\`, scope \`${c.scope}\`)`);

  if (c.system?.evaluated && c.system.controls.length) {
    const shown = c.system.controls.filter((x) => x.status !== "not-applicable");
    const order: ControlStatus[] = ["fail", "accepted", "supplier", "pass"];
    shown.sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status) || a.id.localeCompare(b.id));
    const tally = order.map((s) => `${STATUS[s]} ${shown.filter((x) => x.status === s).length}`).join(" · ");
    out.push("", `<details><summary><b>Controls</b>: ${tally} · ➖ ${c.system.controls.length - shown.length} n/a</summary>`, "");
    // A compact matrix: three controls per row, each with its status symbol.
    out.push("| control | | control | | control | |", "| --- | :-: | --- | :-: | --- | :-: |");
    for (let i = 0; i < shown.length; i += 3) {
      const cells = shown.slice(i, i + 3).map((x) => `[${x.id}](${x.link}) | ${STATUS[x.status]}`);
      while (cells.length < 3) cells.push(" | ");
      out.push(`| ${cells.join(" | ")} |`);
    }
    out.push("", "</details>");
  } else if (c.system && !c.system.evaluated) out.push("", "❌ The manifest has errors, so the system was not evaluated (see below).");

  const title = c.knowsBase ? "New in this pull request" : "Open findings";
  out.push("", `#### ${title} (${open.length})`);
  let left = rows;
  if (open.length) {
    out.push("", "| | location | finding | rule |", "| --- | --- | --- | --- |");
    for (const f of open.slice(0, left)) out.push(`| ${SEV[f.severity]} | \`${esc(f.path)}:${f.line}\` | ${esc(f.message)} | \`${f.ruleId}\` |`);
    if (open.length > left) out.push("", `…and ${open.length - left} more ${more(c.runUrl)}.`);
    left = Math.max(0, left - open.length);
  } else out.push("", "None.");

  const nowOpen = new Set(open.map((f) => f.fingerprint.slice(0, 16)));
  const fixedNow = (c.previouslyOpen ?? []).filter((fp) => !nowOpen.has(fp)).length;
  if (c.fixed.length || fixedNow) {
    out.push("", `#### Fixed (${c.fixed.length} since the baseline${c.previouslyOpen ? `, ${fixedNow} since the previous run` : ""})`);
    if (c.fixed.length) {
      out.push("");
      for (const e of c.fixed.slice(0, Math.max(10, left))) out.push(`- ✅ \`${esc(e.path)}\`: ${esc(e.message)} (\`${e.ruleId}\`)`);
      if (c.fixed.length > Math.max(10, left)) out.push(`- …and ${c.fixed.length - Math.max(10, left)} more`);
    }
  }
  const known = c.findings.filter((f) => f.status === "pre-existing" || f.status === "baselined");
  if (known.length) {
    out.push("", `<details><summary>${known.length} pre-existing or baselined findings (they do not fail the gate)</summary>`, "");
    for (const f of known.slice(0, Math.min(left, 50))) out.push(`- ${SEV[f.severity]} \`${esc(f.path)}:${f.line}\` ${esc(f.message)} (\`${f.ruleId}\`, ${f.status})`);
    if (known.length > Math.min(left, 50)) out.push(`- …and ${known.length - Math.min(left, 50)} more ${more(c.runUrl)}`);
    out.push("", "</details>");
  }
  if (c.runUrl) out.push("", `<sub>[Full report in the job summary](${c.runUrl}) · updated on every push</sub>`);
  out.push(stateComment([...nowOpen].slice(0, STATE_MAX_FINGERPRINTS)));
  return out.join("\n") + "\n";
}

const more = (runUrl: string | null) => (runUrl ? `in the [job summary](${runUrl})` : "in the job summary");

function stateComment(open: string[]): string {
  return `<!-- aigate:state ${JSON.stringify({ v: 1, open })} -->`;
}

export function readState(body: string): string[] | null {
  const m = /<!-- aigate:state (\{.*?\}) -->/.exec(body);
  if (!m) return null;
  try {
    const s = JSON.parse(m[1]!) as { open?: unknown };
    return Array.isArray(s.open) ? s.open.filter((x): x is string => typeof x === "string") : null;
  } catch {
    return null;
  }
}

/** Renders within the size limit, shrinking the number of finding rows until it fits. */
export function renderCommentWithin(c: CommentContext, max = COMMENT_MAX_CHARS): string {
  let rows = 200;
  let body = renderComment(c, rows);
  while (body.length > max && rows > 0) {
    rows = Math.floor(rows / 2);
    body = renderComment(c, rows);
  }
  // Even with no rows (e.g. a huge control matrix), never send more than GitHub takes.
  if (body.length > max) {
    const tail = `\n\n…cut to fit GitHub's comment limit; ${more(c.runUrl)}.\n`;
    body = body.slice(0, max - tail.length - commentMarker(c.name).length) + tail;
    if (!body.startsWith(commentMarker(c.name))) body = commentMarker(c.name) + body;
  }
  return body;
}

export interface ExistingComment {
  id: number;
  body: string;
  url: string;
}

interface ApiComment {
  id: number;
  body?: string;
  html_url: string;
  user?: { type?: string } | null;
}

/** The PR's comments that carry an aigate marker, written by a bot (so a person quoting one is not taken over). */
export async function findStickyComments(octokit: Octokit, owner: string, repo: string, issue: number): Promise<Map<string, ExistingComment>> {
  const all = (await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issue, per_page: 100 })) as ApiComment[];
  const found = new Map<string, ExistingComment>();
  for (const c of all) {
    const m = /<!-- aigate:sticky-comment system=([^ ]*) -->/.exec(c.body ?? "");
    if (!m || (c.user && c.user.type && c.user.type !== "Bot")) continue;
    const name = decodeURIComponent(m[1]!);
    if (!found.has(name)) found.set(name, { id: c.id, body: c.body ?? "", url: c.html_url });
  }
  return found;
}

export type CommentAction = { kind: "created" | "updated" | "deleted" | "skipped"; url: string | null };

/** Creates, updates or deletes one system's sticky comment. */
export async function upsertComment(
  octokit: Octokit,
  where: { owner: string; repo: string; issue: number },
  existing: ExistingComment | undefined,
  body: string,
  clean: boolean,
  deleteWhenClean: boolean,
): Promise<CommentAction> {
  const { owner, repo } = where;
  if (clean && deleteWhenClean) {
    if (!existing) return { kind: "skipped", url: null };
    await octokit.rest.issues.deleteComment({ owner, repo, comment_id: existing.id });
    return { kind: "deleted", url: null };
  }
  // A clean PR that never had a comment gets none: no noise when there is nothing to say.
  if (clean && !existing) return { kind: "skipped", url: null };
  if (existing) {
    if (existing.body === body) return { kind: "skipped", url: existing.url };
    const r = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { kind: "updated", url: r.data.html_url };
  }
  const r = await octokit.rest.issues.createComment({ owner, repo, issue_number: where.issue, body });
  return { kind: "created", url: r.data.html_url };
}
